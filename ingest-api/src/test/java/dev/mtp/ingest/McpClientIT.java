package dev.mtp.ingest;

import dev.mtp.testkit.RealServers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real MCP client that no one here wrote, the official SDK's {@link McpSyncClient}, against the real ingest and a
 * real broker: it initializes, lists the tools and calls each one, over Streamable HTTP and over the legacy SSE
 * transport. The client also checks every structuredContent against the tool's outputSchema.
 */
@RealServers
class McpClientIT {
    static final List<String> TOOLS = List.of("persist_session", "update_session", "get_session_cache_strategies",
            "persist_interaction", "get_interaction_cache_strategies", "persist_evaluation",
            "get_persistence_recommendations", "analyze_persistence_patterns", "get_session", "get_interaction",
            "get_sync_stats", "check_sync_load");

    @RegisterExtension
    static final IngestUnderTest ingest = IngestUnderTest.perClass(Map.of());

    @Test
    void streamableHttpClientInitializesListsAndCallsEveryTool() {
        try (McpSyncClient client = client(HttpClientStreamableHttpTransport.builder(ingest.baseUrl()).endpoint("/mcp").build())) {
            exerciseEveryTool(client, "mcp-streamable-1", ProtocolVersions.MCP_2025_11_25);
        }
    }

    @Test
    void sseClientInitializesListsAndCallsEveryTool() {
        try (McpSyncClient client = client(HttpClientSseClientTransport.builder(ingest.baseUrl()).sseEndpoint("/sse").build())) {
            // The HTTP+SSE transport is the 2024-11-05 one (replaced by Streamable HTTP in 2025-03-26): the SDK negotiates
            // that revision on it; the tools, their schemas and structuredContent are the same.
            exerciseEveryTool(client, "mcp-sse-1", ProtocolVersions.MCP_2024_11_05);
        }
    }

    @Test
    void badArgumentsAreAToolErrorThatNamesTheFieldAndNothingIsPublished() {
        long before = ingest.recordsOnPersistenceTopics();
        try (McpSyncClient client = client(HttpClientStreamableHttpTransport.builder(ingest.baseUrl()).endpoint("/mcp").build())) {
            client.initialize();

            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("persist_session",
                    Map.of("sessionId", "s-1", "userId", "u-1", "context", Map.of("$where", "1"))));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).isEqualTo("context[\"$where\"]: keys must not start with '$' (MongoDB reads it as an operator)");
            assertThat(((Map<?, ?>) result.structuredContent()).get("field")).isEqualTo("context[\"$where\"]");
        }
        assertThat(ingest.recordsOnPersistenceTopics()).isEqualTo(before);
    }

    @Test
    void anUnknownToolIsAJsonRpcInvalidParamsErrorWithoutAStackTrace() {
        try (McpSyncClient client = client(HttpClientSseClientTransport.builder(ingest.baseUrl()).sseEndpoint("/sse").build())) {
            client.initialize();

            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("optimize_everything", Map.of())))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
                        assertThat(e.getJsonRpcError().message()).doesNotContain("\tat ").doesNotContain("Exception");
                    });
        }
    }

    private static void exerciseEveryTool(McpSyncClient client, String sessionId, String protocolVersion) {
        McpSchema.InitializeResult init = client.initialize();
        assertThat(init.protocolVersion()).isEqualTo(protocolVersion);
        assertThat(init.serverInfo().name()).isEqualTo("mtp-ingest");
        assertThat(init.capabilities().tools()).isNotNull();

        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyElementsOf(TOOLS);
        assertThat(tools).allSatisfy(tool -> {
            assertThat(tool.inputSchema()).containsEntry("type", "object");
            assertThat(tool.outputSchema()).containsEntry("type", "object");
            assertThat(tool.description()).isNotBlank();
        });
        // The strategy optimization tools: their arguments and answers as the SDK received them.
        McpSchema.Tool analyze = tools.get(TOOLS.indexOf("analyze_persistence_patterns"));
        assertThat(asMap(analyze.inputSchema().get("properties"))).containsOnlyKeys("windowMinutes", "entityType");
        assertThat(asMap(analyze.outputSchema().get("properties")))
                .containsKeys("window", "profile", "strategies", "patterns", "findings");
        McpSchema.Tool recommend = tools.get(TOOLS.indexOf("get_persistence_recommendations"));
        assertThat(asMap(recommend.inputSchema().get("properties"))).containsOnlyKeys("patternType", "accessFrequency",
                "dataSize", "contextNeeded", "realTimeRequired", "windowMinutes", "entityType");
        assertThat(asMap(recommend.outputSchema().get("properties")))
                .containsKeys("basis", "session", "interaction", "profile", "recommendations");
        assertThat(tools.get(0).description()).contains("CRITICAL_ONLY (1 h TTL").contains("WITH_CONTEXT (30 min")
                .contains("FULL_SESSION (15 min").contains("NONE (not cached, MongoDB only");

        Map<String, Object> created = ok(client, "persist_session", Map.of("sessionId", sessionId, "userId", "user-456",
                "status", "active", "context", Map.of("currentTopic", "product_inquiry"),
                "metadata", Map.of("source", "web_chat"), "cacheStrategy", "WITH_CONTEXT"));
        assertThat(created).containsEntry("success", true).containsEntry("type", "session.created")
                .containsEntry("topic", ingest.topics().sessions().name()).containsEntry("syncMethod", "hybrid-direct")
                .containsKeys("eventId", "partition", "offset");

        // Right after the create, before any store has it: the update is ordered after it on the same partition.
        Map<String, Object> updated = ok(client, "update_session", Map.of("sessionId", sessionId, "status", "idle"));
        assertThat(updated.get("partition")).isEqualTo(created.get("partition"));
        assertThat(((Number) updated.get("offset")).longValue()).isGreaterThan(((Number) created.get("offset")).longValue());
        assertThat(updated).containsEntry("syncMethod", "kafka-event");

        Map<String, Object> sessionStrategies = ok(client, "get_session_cache_strategies", Map.of());
        // The development profile's defaults (IngestUnderTest sets no profile).
        assertThat(sessionStrategies).containsEntry("default", "FULL_SESSION");
        assertThat(asMap(sessionStrategies.get("profile"))).containsEntry("name", "development")
                .containsEntry("sessionStrategySource", "profile");

        Map<String, Object> interaction = ok(client, "persist_interaction", Map.of("interactionId", sessionId + "-int-1",
                "sessionId", sessionId, "role", "assistant", "request", "What are your product features?",
                "response", "Our product offers...", "processingTimeMs", 150, "cacheStrategy", "RESPONSE_ONLY"));
        assertThat(interaction).containsEntry("entityId", sessionId + "-int-1")
                .containsEntry("topic", ingest.topics().interactions().name());

        Map<String, Object> interactionStrategies = ok(client, "get_interaction_cache_strategies", Map.of());
        assertThat(interactionStrategies).containsEntry("default", "WITH_CONTEXT");

        Map<String, Object> evaluation = ok(client, "persist_evaluation", Map.of("entityId", sessionId,
                "entityType", "session", "evaluationData", Map.of("satisfaction_score", 4.5, "sentiment", "positive")));
        assertThat(evaluation).containsEntry("storage", "mongodb-only")
                .containsEntry("topic", ingest.topics().evaluations().name());

        // The fast path wrote the created session and the interaction to Redis before answering.
        Map<String, Object> session = ok(client, "get_session", Map.of("sessionId", sessionId));
        assertThat(session).containsEntry("found", true).containsEntry("tier", "redis").containsEntry("cacheStrategy", "WITH_CONTEXT");
        assertThat(asMap(session.get("session"))).containsEntry("userId", "user-456").containsKey("context");
        Map<String, Object> cachedTurn = ok(client, "get_interaction", Map.of("interactionId", sessionId + "-int-1",
                "sessionId", sessionId));
        assertThat(cachedTurn).containsEntry("tier", "redis");
        assertThat(asMap(cachedTurn.get("interaction"))).containsEntry("response", "Our product offers...")
                .doesNotContainKey("request");
        assertThat(ok(client, "get_interaction", Map.of("interactionId", "no-such-interaction"))).containsEntry("found", false);

        Map<String, Object> stats = ok(client, "get_sync_stats", Map.of());
        assertThat(stats).containsEntry("fastPathAvailable", true);
        assertThat(asMap(stats.get("profile"))).containsEntry("name", "development")
                .containsEntry("sessionStrategy", "FULL_SESSION").containsEntry("interactionStrategy", "WITH_CONTEXT");
        assertThat(((Number) stats.get("hybridDirect")).longValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) stats.get("eventOnlyNotCached")).longValue()).isGreaterThanOrEqualTo(2);

        // The seed's strategy optimization tools: a use case from its pattern table, then measured usage.
        Map<String, Object> advice = ok(client, "get_persistence_recommendations", Map.of("patternType", "HIGH_FREQUENCY"));
        assertThat(advice).containsEntry("basis", "pattern table").containsEntry("profile", "production");
        assertThat(asMap(advice.get("session"))).containsEntry("strategy", "WITH_CONTEXT")
                .containsEntry("expectedBytesPerKey", 800);
        Map<String, Object> tree = ok(client, "get_persistence_recommendations", Map.of("accessFrequency", "MEDIUM",
                "contextNeeded", true));
        assertThat(asMap(tree.get("interaction"))).containsEntry("strategy", "WITH_CONTEXT");
        assertThat(ok(client, "get_persistence_recommendations", Map.of("windowMinutes", 60)))
                .containsEntry("basis", "measured usage").containsKeys("recommendations", "recommendedProfile");
        assertThat(ok(client, "analyze_persistence_patterns", Map.of("entityType", "session")))
                .containsKeys("window", "strategies", "patterns", "findings");

        Map<String, Object> load = ok(client, "check_sync_load", Map.of());
        assertThat(load).containsEntry("level", "NORMAL").containsEntry("high", false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ok(McpSyncClient client, String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        assertThat(result.isError()).as(tool + ": " + text(result)).isFalse();
        assertThat(text(result)).isNotBlank();
        return (Map<String, Object>) result.structuredContent();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private static McpSyncClient client(McpClientTransport transport) {
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    }
}
