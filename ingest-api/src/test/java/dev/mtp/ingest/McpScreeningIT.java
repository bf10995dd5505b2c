package dev.mtp.ingest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.testkit.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.IngestUnderTest.json;
import static dev.mtp.ingest.StrictBodiesIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP SDK's transports see only well-formed JSON-RPC: malformed messages on /mcp and on an SSE session's message
 * endpoint are answered in front of them, HTTP 400 with a JSON-RPC error that names the rule (-32700 parse error,
 * -32600 invalid request, -32602 invalid params), never a 5xx or a Java message; the protocol version header and the
 * body limit are answered the same way.
 */
@RealServers
class McpScreeningIT {
    static final List<String> MALFORMED = List.of("null", "[]", "123", "\"x\"", "{", "true",
            "[".repeat(1_001) + "]".repeat(1_001),
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":7}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":[]}}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"initialize\",\"params\":null}",
            "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":42}",
            "{\"jsonrpc\":\"2.0\",\"id\":7}",
            "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\",\"params\":[1]}");

    @RegisterExtension
    static final IngestUnderTest ingest = IngestUnderTest.perClass(Map.of());

    @Test
    void malformedMessagesOnStreamableHttpAre400NamingTheRule() throws Exception {
        String session = RawMcp.streamableSession(ingest.baseUrl());
        for (String body : MALFORMED) {
            for (String[] headers : List.of(new String[] {"Content-Type", "application/json", "Accept", RawMcp.ACCEPT},
                    new String[] {"Content-Type", "application/json", "Accept", RawMcp.ACCEPT, "Mcp-Session-Id", session,
                            "MCP-Protocol-Version", RawMcp.VERSION})) {
                assertRefusedInOurWords(body, RawMcp.post(ingest.baseUrl() + "/mcp", bytes(body), headers));
            }
        }
    }

    @Test
    void malformedMessagesOnAnSseSessionAre400AndNothingInternalReachesItsStream() throws Exception {
        try (RawMcp.SseSession sse = new RawMcp.SseSession(ingest.baseUrl())) {
            for (String body : MALFORMED) {
                assertRefusedInOurWords(body, RawMcp.post(sse.messageUrl, bytes(body), "Content-Type", "application/json"));
            }
            assertThat(String.join("\n", sse.drain(300))).doesNotContain("-32603").doesNotContain("Cannot invoke")
                    .doesNotContain("java.");
        }
    }

    @Test
    void anUnsupportedProtocolVersionIs400ListingTheSupportedOnes() throws Exception {
        String session = RawMcp.streamableSession(ingest.baseUrl());

        HttpResponse<String> response = RawMcp.post(ingest.baseUrl() + "/mcp",
                bytes("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}"), "Content-Type", "application/json",
                "Accept", RawMcp.ACCEPT, "Mcp-Session-Id", session, "MCP-Protocol-Version", "1999-01-01");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(json(response).at("/error/message").asText()).contains("'1999-01-01'").contains("2025-11-25")
                .contains("2025-06-18");
    }

    @Test
    void aBodyOverTheLimitIsAJsonRpcErrorNamingTheSetting() throws Exception {
        byte[] huge = bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"x\":\""
                + "x".repeat(1_100_000) + "\"}}");
        String session = RawMcp.streamableSession(ingest.baseUrl());
        try (RawMcp.SseSession sse = new RawMcp.SseSession(ingest.baseUrl())) {
            for (HttpResponse<String> response : List.of(
                    RawMcp.post(ingest.baseUrl() + "/mcp", huge, "Content-Type", "application/json", "Accept", RawMcp.ACCEPT,
                            "Mcp-Session-Id", session, "MCP-Protocol-Version", RawMcp.VERSION),
                    RawMcp.post(sse.messageUrl, huge, "Content-Type", "application/json"))) {
                assertThat(response.statusCode()).isEqualTo(413);
                JsonNode error = json(response);
                assertThat(error.at("/jsonrpc").asText()).isEqualTo("2.0");
                assertThat(error.at("/error/code").asInt()).isEqualTo(-32600);
                assertThat(error.at("/error/message").asText()).contains("at most 1048576 bytes")
                        .contains("app.http.max-body-bytes");
            }
        }
    }

    @Test
    void malformedRequestsPutNoErrorLinesInTheLog() throws Exception {
        Logger sdk = (Logger) LoggerFactory.getLogger("io.modelcontextprotocol");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        sdk.addAppender(events);
        try {
            for (String body : MALFORMED) {
                RawMcp.post(ingest.baseUrl() + "/mcp", bytes(body), "Content-Type", "application/json", "Accept", RawMcp.ACCEPT);
            }
        } finally {
            sdk.detachAppender(events);
        }
        assertThat(events.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    private static void assertRefusedInOurWords(String body, HttpResponse<String> response) throws Exception {
        String shown = body.length() > 80 ? body.substring(0, 80) + "..." : body;
        assertThat(response.statusCode()).as(shown + " -> " + response.body()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.at("/jsonrpc").asText()).isEqualTo("2.0");
        assertThat(error.at("/error/code").asInt()).as(shown).isIn(-32700, -32600, -32602);
        assertThat(error.at("/error/message").asText()).as(shown).isNotBlank()
                .doesNotContain("java.").doesNotContain("Cannot").doesNotContain("Exception").doesNotContain("com.fasterxml");
    }
}
