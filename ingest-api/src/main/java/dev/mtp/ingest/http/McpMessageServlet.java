package dev.mtp.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.event.InvalidEventException;
import dev.mtp.common.json.Json;
import dev.mtp.ingest.application.PublishFailedException;
import dev.mtp.ingest.tools.InvalidArgumentException;
import dev.mtp.ingest.tools.Tool;
import dev.mtp.ingest.tools.ToolArguments;
import dev.mtp.ingest.tools.ToolRegistry;
import dev.mtp.ingest.tools.ToolResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /mcp/message} for the seed's bare calls: {@code {"method":"tools/call","params":{...}}}
 * without jsonrpc, id or session, answered as one-shot calls with the tool result as the body.
 * The HTTP status tells the outcome to curl users: 200 done, 400 bad input, 503 Kafka unavailable.
 */
public final class McpMessageServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(McpMessageServlet.class);

    private final ToolRegistry tools;
    private final int maxBodyBytes;

    public McpMessageServlet(ToolRegistry tools, int maxBodyBytes) {
        this.tools = tools;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body;
        try {
            body = readBody(request);
        } catch (BodyTooLargeException e) {
            JsonResponses.problem(response, 413, "Request body too large", e.getMessage(), null);
            return;
        } catch (JsonProcessingException e) {
            JsonResponses.problem(response, 400, "Malformed JSON", e.getOriginalMessage(), null);
            return;
        }
        String method = body.path("method").asText("");
        switch (method) {
            case "tools/call" -> callTool(body.path("params"), response);
            case "tools/list" -> JsonResponses.write(response, 200, Map.of("tools", listing()));
            default -> JsonResponses.problem(response, 400, "Unsupported method",
                    "method must be tools/call or tools/list, was '" + method + "'", "method");
        }
    }

    private void callTool(JsonNode params, HttpServletResponse response) throws IOException {
        String name = params.path("name").asText("");
        Tool tool = tools.find(name).orElse(null);
        if (tool == null) {
            JsonResponses.problem(response, 400, "Unknown tool",
                    "params.name '" + name + "' is not a tool; tools: " + tools.names(), "params.name");
            return;
        }
        try {
            ToolResult result = tool.call(new ToolArguments(params.get("arguments")));
            JsonResponses.write(response, 200, body(result));
        } catch (InvalidArgumentException e) {
            JsonResponses.write(response, 400, error("params.arguments." + e.field(), e.rule()));
        } catch (InvalidEventException e) {
            JsonResponses.write(response, 400, error("params.arguments." + e.field().replaceFirst("^payload\\.", ""), e.rule()));
        } catch (PublishFailedException e) {
            log.warn("publish failed for tool {}: {}", name, e.getMessage());
            JsonResponses.write(response, 503, body(ToolResult.error("Not persisted: " + e.getMessage()
                    + ". Nothing was stored; retry later.", Map.of("success", false, "retryable", true))));
        }
    }

    private static Map<String, Object> error(String field, String rule) {
        return body(ToolResult.error(field + ": " + rule,
                Map.of("success", false, "field", field, "rule", rule)));
    }

    static Map<String, Object> body(ToolResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", List.of(Map.of("type", "text", "text", result.text())));
        body.put("structuredContent", result.structuredContent());
        body.put("isError", result.isError());
        return body;
    }

    private List<Map<String, Object>> listing() {
        return tools.all().stream()
                .map(tool -> Map.<String, Object>of("name", tool.name(), "description", tool.description()))
                .toList();
    }

    private JsonNode readBody(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw new BodyTooLargeException("the body must be at most " + maxBodyBytes + " bytes");
            }
            JsonNode node = Json.mapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new com.fasterxml.jackson.core.JsonParseException(null, "the body must be a JSON object");
            }
            return node;
        }
    }

    private static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(String message) {
            super(message);
        }
    }
}
