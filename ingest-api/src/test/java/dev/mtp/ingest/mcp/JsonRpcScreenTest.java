package dev.mtp.ingest.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonRpcScreenTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"check_sync_load\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"error\":{\"code\":-1,\"message\":\"no\"}}"})
    void wellFormedMessagesPass(String message) throws Exception {
        assertThat(JsonRpcScreen.check(Json.mapper().readTree(message))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "null | -32600 | (message) | must be a JSON-RPC object, was null",
            "[] | -32600 | (message) | batches (arrays) are not supported",
            "{\"id\":1,\"method\":\"tools/list\"} | -32600 | jsonrpc | must be \"2.0\"",
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"tools/list\"} | -32600 | id | must be a string or an integer",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/list\"} | -32600 | id | must be a string or an integer, was null",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"} | -32600 | method | must be a non-empty string",
            "{\"jsonrpc\":\"2.0\",\"id\":1} | -32600 | (message) | needs a method",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}} | -32600 | (message) | needs a method",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"x\"} | -32600 | error | integer code and a string message",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":null} | -32602 | params | must be an object, was null",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\"} | -32602 | params.name | is required",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"arguments\":[1]}} | -32602 | params.arguments | must be an object, was an array",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}} | -32602 | params.protocolVersion | must be a string",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"x\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\"}}} | -32602 | params.clientInfo | string name and version",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":{\"cursor\":7}} | -32602 | params.cursor | must be a string"})
    void malformedMessagesAreNamedWithTheirRule(String message, int code, String field, String rule) throws Exception {
        JsonNode parsed = Json.mapper().readTree(message);

        assertThat(JsonRpcScreen.check(parsed)).hasValueSatisfying(refusal -> {
            assertThat(refusal.code()).isEqualTo(code);
            assertThat(refusal.field()).isEqualTo(field);
            assertThat(refusal.rule()).contains(rule);
        });
    }
}
