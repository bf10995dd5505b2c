package dev.mtp.ingest.mcp;

import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.tools.Tool;
import dev.mtp.ingest.tools.ToolCalls;
import dev.mtp.ingest.tools.ToolRegistry;
import dev.mtp.ingest.tools.ToolResult;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ingest's MCP server (spec revision 2025-11-25) on the official Java SDK's servlet transports:
 * Streamable HTTP at {@code /mcp}, and the legacy HTTP+SSE transport at {@code /sse} with its message
 * endpoint {@code /mcp/message}. Both serve the same tools through {@link ToolCalls}, so a tool
 * behaves the same on every transport, including the seed's bare calls.
 */
public final class McpEndpoints implements AutoCloseable {
    public static final String STREAMABLE_ENDPOINT = "/mcp";
    public static final String SSE_ENDPOINT = "/sse";
    public static final String MESSAGE_ENDPOINT = "/mcp/message";
    static final String SERVER_NAME = "mtp-ingest";
    static final String INSTRUCTIONS = "Persist chat sessions, interactions and evaluations. Each write is acknowledged "
            + "once Kafka has it (the answer carries topic, partition and offset) and reaches Redis and MongoDB behind. "
            + "Pick a cache strategy per write: the get_*_cache_strategies tools list them with TTLs and fields.";

    private static final Logger log = LoggerFactory.getLogger(McpEndpoints.class);

    private final HttpServletStreamableServerTransportProvider streamable;
    private final HttpServletSseServerTransportProvider sse;
    private final McpSyncServer streamableServer;
    private final McpSyncServer sseServer;

    /**
     * The transports get no Host or Origin validator of their own: http.HostFilter and http.OriginFilter check every
     * request on every path before it reaches them, structurally (the SDK's validator matches origin prefixes).
     */
    public McpEndpoints(ToolRegistry tools, InputLimits limits, int maxBodyBytes, String version) {
        ServerTransportSecurityValidator security = ServerTransportSecurityValidator.NOOP;
        McpJsonMapper json = McpJson.mapper();
        streamable = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json)
                .mcpEndpoint(STREAMABLE_ENDPOINT)
                .securityValidator(security)
                .maxRequestSize(maxBodyBytes)
                .keepAliveInterval(Duration.ofSeconds(30))
                .build();
        sse = HttpServletSseServerTransportProvider.builder()
                .jsonMapper(json)
                .sseEndpoint(SSE_ENDPOINT)
                .messageEndpoint(MESSAGE_ENDPOINT)
                .securityValidator(security)
                .maxRequestSize(maxBodyBytes)
                .keepAliveInterval(Duration.ofSeconds(30))
                .build();
        List<McpServerFeatures.SyncToolSpecification> specs = tools.all().stream()
                .map(tool -> specification(tool, limits)).toList();
        streamableServer = configure(McpServer.sync(streamable), json, specs, version).build();
        sseServer = configure(McpServer.sync(sse), json, specs, version).build();
    }

    private static <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(
            McpServer.SyncSpecification<S> spec, McpJsonMapper json, List<McpServerFeatures.SyncToolSpecification> tools,
            String version) {
        return spec.serverInfo(SERVER_NAME, version)
                .instructions(INSTRUCTIONS)
                .jsonMapper(json)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                // The tools validate their arguments themselves, with messages that name the field and the rule
                // (the same on every transport); the SDK's schema check would answer first, in other words.
                .validateToolInputs(false)
                .immediateExecution(true)
                .tools(tools);
    }

    public HttpServletStreamableServerTransportProvider streamableServlet() {
        return streamable;
    }

    public HttpServletSseServerTransportProvider sseServlet() {
        return sse;
    }

    static McpServerFeatures.SyncToolSpecification specification(Tool tool, InputLimits limits) {
        McpSchema.Tool descriptor = McpSchema.Tool.builder()
                .name(tool.name())
                .title(tool.title())
                .description(tool.description())
                .inputSchema(tool.inputSchema())
                .outputSchema(tool.outputSchema())
                .annotations(new McpSchema.ToolAnnotations(tool.title(), tool.readOnly(), false, tool.readOnly(),
                        false, null))
                .build();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(descriptor)
                .callHandler((exchange, request) -> toMcp(call(tool, request.arguments(), limits)))
                .build();
    }

    /** The SDK has read the arguments into plain maps and values already, as the request parser takes them. */
    private static ToolResult call(Tool tool, Map<String, Object> arguments, InputLimits limits) {
        return ToolCalls.invoke(tool, Input.of(arguments, limits));
    }

    static McpSchema.CallToolResult toMcp(ToolResult result) {
        return McpSchema.CallToolResult.builder()
                .content(List.of(new McpSchema.TextContent(result.text())))
                // Plain JSON values (timestamps as ISO text), as the SDK's output-schema check and clients see them.
                .structuredContent(dev.mtp.common.json.Json.mapper().convertValue(result.structuredContent(), Map.class))
                .isError(result.isError())
                .build();
    }

    @Override
    public void close() {
        for (McpSyncServer server : List.of(streamableServer, sseServer)) {
            try {
                server.closeGracefully();
            } catch (RuntimeException e) {
                log.warn("closing the MCP server: {}", e.getMessage());
            }
        }
    }
}
