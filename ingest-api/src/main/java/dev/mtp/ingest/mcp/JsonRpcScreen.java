package dev.mtp.ingest.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.Optional;

/**
 * What a message must be before the MCP SDK's transports see it: one JSON-RPC 2.0 request, notification or response,
 * and for the methods this server answers, params of the right shape. The SDK trusts its input (a null {@code params}
 * on {@code tools/call} becomes a NullPointerException whose message it sends to the client), so everything it would
 * trip over is refused here with a JSON-RPC error that names the field and the rule.
 */
final class JsonRpcScreen {
    private JsonRpcScreen() {}

    /** Why a message is refused: the JSON-RPC error code, the field and the rule, and the request's id if it had one. */
    record Refusal(int code, String field, String rule, JsonNode id) {
        String message() {
            String kind = code == McpSchema.ErrorCodes.INVALID_PARAMS ? "Invalid params" : "Invalid request";
            return kind + ": " + field + ": " + rule;
        }
    }

    static Optional<Refusal> check(JsonNode message) {
        if (!message.isObject()) {
            return invalid(null, "(message)", message.isArray()
                    ? "must be one JSON-RPC object; batches (arrays) are not supported"
                    : "must be a JSON-RPC object, was " + kind(message));
        }
        if (!"2.0".equals(message.path("jsonrpc").textValue())) {
            return invalid(null, "jsonrpc", "must be \"2.0\"");
        }
        JsonNode id = message.get("id");
        if (id != null && !(id.isTextual() || (id.isIntegralNumber() && id.canConvertToLong()))) {
            return invalid(null, "id", "must be a string or an integer, was " + kind(id));
        }
        JsonNode method = message.get("method");
        if (method == null) {
            return response(message, id);
        }
        if (!method.isTextual() || method.textValue().isEmpty()) {
            return invalid(id, "method", "must be a non-empty string, was " + kind(method));
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject()) {
            return params(id, "params", "must be an object, was " + kind(params));
        }
        return switch (method.textValue()) {
            case McpSchema.METHOD_INITIALIZE -> initialize(id, params);
            case McpSchema.METHOD_TOOLS_CALL -> toolsCall(id, params);
            case McpSchema.METHOD_TOOLS_LIST -> optionalText(id, params, "cursor");
            default -> Optional.empty();
        };
    }

    private static Optional<Refusal> response(JsonNode message, JsonNode id) {
        boolean result = message.has("result");
        JsonNode error = message.get("error");
        if (id == null || result == (error != null)) {
            return invalid(id, "(message)", "needs a method (a request or notification), or an id with either a result "
                    + "or an error (a response)");
        }
        if (error != null && !(error.isObject() && error.path("code").isIntegralNumber()
                && error.path("message").isTextual())) {
            return invalid(id, "error", "must be an object with an integer code and a string message");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> initialize(JsonNode id, JsonNode params) {
        if (params == null) {
            return params(id, "params", "is required: protocolVersion, capabilities, clientInfo");
        }
        if (!params.path("protocolVersion").isTextual()) {
            return params(id, "params.protocolVersion", "is required and must be a string");
        }
        if (!params.path("capabilities").isObject()) {
            return params(id, "params.capabilities", "is required and must be an object");
        }
        JsonNode client = params.path("clientInfo");
        if (!client.isObject() || !client.path("name").isTextual() || !client.path("version").isTextual()) {
            return params(id, "params.clientInfo", "is required: an object with a string name and version");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> toolsCall(JsonNode id, JsonNode params) {
        if (params == null || !params.path("name").isTextual() || params.path("name").textValue().isEmpty()) {
            return params(id, "params.name", "is required and must be the name of a tool");
        }
        JsonNode arguments = params.get("arguments");
        if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
            return params(id, "params.arguments", "must be an object, was " + kind(arguments));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> optionalText(JsonNode id, JsonNode params, String name) {
        JsonNode value = params == null ? null : params.get(name);
        if (value != null && !value.isTextual()) {
            return params(id, "params." + name, "must be a string, was " + kind(value));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> invalid(JsonNode id, String field, String rule) {
        return Optional.of(new Refusal(McpSchema.ErrorCodes.INVALID_REQUEST, field, rule, id));
    }

    private static Optional<Refusal> params(JsonNode id, String field, String rule) {
        return Optional.of(new Refusal(McpSchema.ErrorCodes.INVALID_PARAMS, field, rule, id));
    }

    /** How a refusal names a JSON value's type, in the request parser's words: "a string", "an array", "null". */
    private static String kind(JsonNode node) {
        if (node.isTextual()) return "a string";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        if (node.isArray()) return "an array";
        if (node.isObject()) return "an object";
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
