package dev.mtp.ingest.mcp;

import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.ingest.http.JsonBodies;
import dev.mtp.ingest.http.JsonResponses;
import dev.mtp.ingest.tools.Tool;
import dev.mtp.ingest.tools.ToolCalls;
import dev.mtp.ingest.tools.ToolRegistry;
import dev.mtp.ingest.tools.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /mcp/message}, shared by two kinds of callers:
 * <ul>
 *   <li>a legacy SSE session's messages: the SSE transport's endpoint event gives clients
 *       {@code /mcp/message?sessionId=...}, so a request with a {@code sessionId} query parameter goes to the
 *       SDK's SSE transport, screened ({@link ScreenedTransport}), which answers on the session's event stream;</li>
 *   <li>the seed's bare calls, {@code {"method":"tools/call","params":{...}}} without session, answered here as
 *       one-shot calls with the tool result as the body; the HTTP status tells curl users the outcome: 200 done,
 *       400 bad input, 503 Kafka unavailable. A bare call that does carry {@code jsonrpc} and {@code id} gets a
 *       JSON-RPC response instead (status 200, errors inside), as a stateless JSON-RPC client expects.</li>
 * </ul>
 */
public final class McpMessageServlet extends HttpServlet {
    private final HttpServlet sseTransport;
    private final ToolRegistry tools;
    private final InputLimits limits;
    private final int maxBodyBytes;

    public McpMessageServlet(HttpServlet sseTransport, ToolRegistry tools, InputLimits limits, int maxBodyBytes) {
        this.sseTransport = sseTransport;
        this.tools = tools;
        this.limits = limits;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (hasSessionId(request)) {
            sseTransport.service(request, response);
            return;
        }
        Map<String, Object> body = JsonBodies.read(request, response, maxBodyBytes);
        if (body == null) {
            return;
        }
        boolean jsonRpc = body.containsKey("jsonrpc") && body.containsKey("id");
        String method = text(body.get("method"));
        Map<?, ?> params = body.get("params") instanceof Map<?, ?> map ? map : Map.of();
        if (jsonRpc) {
            answerJsonRpc(body, method, params, response);
            return;
        }
        switch (method) {
            case "tools/call" -> {
                String name = text(params.get("name"));
                Tool tool = tools.find(name).orElse(null);
                if (tool == null) {
                    JsonResponses.problem(response, 400, "Unknown tool",
                            "params.name '" + name + "' is not a tool; tools: " + tools.names(), "params.name");
                    return;
                }
                ToolResult result = call(tool, params.get("arguments"), "params.arguments");
                JsonResponses.write(response, result.outcome().httpStatus(), body(result));
            }
            case "tools/list" -> JsonResponses.write(response, 200, Map.of("tools", listing()));
            default -> JsonResponses.problem(response, 400, "Unsupported method",
                    "method must be tools/call or tools/list, was '" + method + "'", "method");
        }
    }

    private void answerJsonRpc(Map<String, Object> body, String method, Map<?, ?> params, HttpServletResponse response)
            throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        answer.put("id", body.get("id"));
        switch (method) {
            case "tools/call" -> {
                String name = text(params.get("name"));
                Tool tool = tools.find(name).orElse(null);
                if (tool == null) {
                    answer.put("error", Map.of("code", McpSchema.ErrorCodes.INVALID_PARAMS,
                            "message", "Unknown tool: " + name + "; tools: " + tools.names(),
                            "data", Map.of("field", "params.name")));
                } else {
                    answer.put("result", body(call(tool, params.get("arguments"), "")));
                }
            }
            case "tools/list" -> answer.put("result", Map.of("tools", listing()));
            default -> answer.put("error", Map.of("code", McpSchema.ErrorCodes.METHOD_NOT_FOUND,
                    "message", "Method not found: '" + method + "'. Without a session this endpoint answers tools/call "
                            + "and tools/list; for the full protocol use Streamable HTTP at /mcp or SSE at /sse."));
        }
        JsonResponses.write(response, 200, answer);
    }

    private ToolResult call(Tool tool, Object arguments, String prefix) {
        try {
            return ToolCalls.invoke(tool, new Input(arguments, prefix, limits));
        } catch (InvalidInputException e) {
            return ToolResult.badInput(e.field(), e.rule());
        }
    }

    /** A scalar as text (numbers and booleans as JSON writes them); anything else, absent included, as "". */
    private static String text(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : "";
    }

    private static boolean hasSessionId(HttpServletRequest request) {
        String query = request.getQueryString();
        return query != null && (query.startsWith("sessionId=") || query.contains("&sessionId="));
    }

    static Map<String, Object> body(ToolResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", List.of(Map.of("type", "text", "text", result.text())));
        body.put("structuredContent", result.structuredContent());
        body.put("isError", result.isError());
        return body;
    }

    private List<Map<String, Object>> listing() {
        return tools.all().stream().map(tool -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", tool.name());
            entry.put("title", tool.title());
            entry.put("description", tool.description());
            entry.put("inputSchema", tool.inputSchema());
            entry.put("outputSchema", tool.outputSchema());
            return entry;
        }).toList();
    }
}
