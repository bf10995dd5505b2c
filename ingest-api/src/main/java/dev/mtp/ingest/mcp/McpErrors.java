package dev.mtp.ingest.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON-RPC error response written as the whole HTTP answer, as the MCP transports answer what they refuse. */
final class McpErrors {
    private McpErrors() {}

    /** @param id the request's id, or null when it could not be read (JSON-RPC then answers "id": null) */
    static void write(HttpServletResponse response, int status, JsonNode id, int code, String message,
                      Map<String, Object> data) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (!data.isEmpty()) {
            error.put("data", data);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", id == null ? Json.mapper().nullNode() : id);
        body.put("error", error);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        Json.mapper().writeValue(response.getOutputStream(), body);
    }
}
