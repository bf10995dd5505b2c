package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.testkit.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every validation rule, sent as a bad request over the JSON API, the seed's bare MCP call and a sessionless
 * JSON-RPC call: each answer names the field and the rule, in a problem body or a tool error, and after each one
 * nothing has reached Kafka.
 */
@RealServers
class EdgeValidationIT {
    static final List<BadInputs.Case> cases = BadInputs.ALL;
    @RegisterExtension
    static final IngestUnderTest ingest = IngestUnderTest.perClass(Map.of());

    @AfterEach
    void nothingReachedKafka() {
        assertThat(ingest.recordsOnPersistenceTopics()).as("records on the persistence topics").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void theJsonApiAnswers400ProblemNamingFieldAndRule(BadInputs.Case bad) throws Exception {
        HttpResponse<String> response = switch (bad.operation()) {
            case "persist_session" -> ingest.send("POST", "/api/v1/sessions", bad.arguments());
            case "update_session" -> ingest.send("PATCH", "/api/v1/sessions/s-1", bad.arguments());
            case "persist_interaction" -> ingest.send("POST", "/api/v1/interactions", bad.arguments());
            case "persist_evaluation" -> ingest.send("POST", "/api/v1/evaluations", bad.arguments());
            default -> throw new IllegalArgumentException(bad.operation());
        };

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("field").asText()).isEqualTo(bad.field());
        assertThat(problem.get("rule").asText()).contains(bad.rule());
        assertThat(problem.get("detail").asText()).startsWith(bad.field() + ": ");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void theBareMcpCallAnswers400ToolErrorNamingFieldAndRule(BadInputs.Case bad) throws Exception {
        HttpResponse<String> response = ingest.send("POST", "/mcp/message",
                "{\"method\":\"tools/call\",\"params\":{\"name\":\"" + bad.operation() + "\",\"arguments\":" + bad.arguments() + "}}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("isError").asBoolean()).isTrue();
        assertThat(body.at("/structuredContent/field").asText()).isEqualTo("params.arguments." + bad.field());
        assertThat(body.at("/structuredContent/rule").asText()).contains(bad.rule());
        assertThat(body.at("/content/0/text").asText()).contains(bad.rule());
    }

    @Test
    void aSessionlessJsonRpcCallGetsAJsonRpcResponseWithTheToolError() throws Exception {
        HttpResponse<String> response = ingest.send("POST", "/mcp/message", """
                {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"persist_session",
                 "arguments":{"sessionId":"s-1","userId":"u-1","cacheStrategy":"ALL"}}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("id").asInt()).isEqualTo(7);
        assertThat(body.at("/result/isError").asBoolean()).isTrue();
        assertThat(body.at("/result/structuredContent/field").asText()).isEqualTo("cacheStrategy");
    }

    @Test
    void anUnknownToolOverJsonRpcIsInvalidParams() throws Exception {
        JsonNode body = json(ingest.send("POST", "/mcp/message",
                "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"optimize_everything\"}}"));

        assertThat(body.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(body.at("/error/message").asText()).contains("Unknown tool: optimize_everything");
    }

    @Test
    void aBodyAboveTheLimitIs413OnEveryEndpoint() throws Exception {
        String huge = "{\"sessionId\":\"s-1\",\"userId\":\"u-1\",\"metadata\":{\"x\":\"" + "x".repeat(1_100_000) + "\"}}";

        HttpResponse<String> api = ingest.send("POST", "/api/v1/sessions", huge);
        HttpResponse<String> bare = ingest.send("POST", "/mcp/message", huge);

        assertThat(api.statusCode()).isEqualTo(413);
        assertThat(json(api).get("detail").asText()).contains("at most 1048576 bytes");
        assertThat(bare.statusCode()).isEqualTo(413);
    }

    @Test
    void malformedOrNonObjectBodiesAre400WithoutAStackTrace() throws Exception {
        for (String body : List.of("{\"sessionId\": ", "[1,2]", "\"text\"", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")) {
            HttpResponse<String> response = ingest.send("POST", "/api/v1/sessions", body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at com.");
        }
    }

    @Test
    void aBatchWithOneBadWriteIsRefusedWholeNamingTheItem() throws Exception {
        HttpResponse<String> response = ingest.send("POST", "/api/v1/batch", """
                {"writes":[
                  {"operation":"persist_session","arguments":{"sessionId":"b-1","userId":"u-1"}},
                  {"operation":"persist_interaction","arguments":{"sessionId":"b-1","role":"user","request":"hi","cacheStrategy":"SOME"}}
                ]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("writes[1].arguments.cacheStrategy");
    }

    @Test
    void aBatchNamesAnUnknownOperationAndItsSizeLimit() throws Exception {
        JsonNode unknown = json(ingest.send("POST", "/api/v1/batch",
                "{\"writes\":[{\"operation\":\"delete_session\",\"arguments\":{}}]}"));
        JsonNode empty = json(ingest.send("POST", "/api/v1/batch", "{\"writes\":[]}"));

        assertThat(unknown.get("field").asText()).isEqualTo("writes[0].operation");
        assertThat(unknown.get("rule").asText()).contains("valid: persist_session, update_session");
        assertThat(empty.get("rule").asText()).contains("must hold 1 to 500 writes");
    }

    @Test
    void aBadPathIdIsNamed() throws Exception {
        HttpResponse<String> response = ingest.send("PATCH", "/api/v1/sessions/a%20b", "{\"status\":\"idle\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("sessionId");
    }

    @Test
    void aPathParameterInAnIdIsRefusedNotCutOff() throws Exception {
        for (String id : List.of("victim;evil", "victim;", "a%3Bb", "a%20b")) {
            HttpResponse<String> response = ingest.send("PATCH", "/api/v1/sessions/" + id, "{\"status\":\"x\"}");

            assertThat(response.statusCode()).as(id).isEqualTo(400);
            assertThat(json(response).get("field").asText()).isEqualTo("sessionId");
            assertThat(json(response).get("detail").asText()).as(id).contains("path segment");
        }
        assertThat(ingest.send("GET", "/api/v1/interactions/i-1;x?sessionId=s-1", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aQueryIdIsCheckedAsSentNotDecodedTwice() throws Exception {
        HttpResponse<String> response = ingest.send("GET", "/api/v1/interactions/i-1?sessionId=s%2541", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("sessionId");
    }

    @Test
    void anUnknownSubPathIs404NotAWrongMethod() throws Exception {
        for (String path : List.of("/api/v1/sessions/a/b", "/api/v1/sessions/", "/api/v1/interactions/a/b",
                "/api/v1/evaluations/e-1", "/api/v1/batch/x")) {
            HttpResponse<String> response = ingest.send("GET", path, null);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<String> wrongMethod = ingest.send("DELETE", "/api/v1/sessions/s-1", null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, PATCH");
    }

    @Test
    void aRequestLineTooLongIs414AndSaysTheConnectionCloses() throws Exception {
        RawHttp.Response response = RawHttp.exchange(ingest.port(), "GET", "/api/v1/sessions/" + "a".repeat(20_000), null,
                "Host: 127.0.0.1");

        assertThat(response.status()).isEqualTo(414);
        assertThat(response.header("Connection")).isEqualTo("close");
    }
}
