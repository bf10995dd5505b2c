package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies a lenient parser would take for something the client did not mean (data after the value, invalid UTF-8,
 * unpaired surrogate escapes, a byte order mark, UTF-16, duplicate keys at any depth), sent on every adapter: the
 * JSON API, a batch, the seed's bare call, Streamable HTTP and the legacy SSE transport. Each is refused naming the
 * rule, and nothing reaches Kafka.
 */
@RealServers
class StrictBodiesIT {
    record Case(String name, byte[] arguments, UnaryOperator<byte[]> whole, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> cases = List.of(
            new Case("data after the value", args("\"active\""), body -> concat(body, bytes("garbage")),
                    "holds data after the JSON value"),
            new Case("two objects", args("\"active\""), body -> concat(body, bytes("{\"sessionId\":\"x\"}")),
                    "holds data after the JSON value"),
            new Case("invalid UTF-8 in a text", concat(bytes("{\"sessionId\":\"sb-1\",\"userId\":\"u-1\",\"status\":\""),
                    new byte[] {(byte) 0xff, (byte) 0xfe}, bytes("\"}")), UnaryOperator.identity(), "is not valid UTF-8"),
            new Case("unpaired surrogate escape", args("\"\\ud800\""), UnaryOperator.identity(),
                    "unpaired UTF-16 surrogate escape"),
            new Case("byte order mark", args("\"active\""), body -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, body),
                    "starts with a byte order mark"),
            new Case("UTF-16", args("\"active\""),
                    body -> new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE), "holds a NUL byte"),
            new Case("duplicate key", bytes("{\"sessionId\":\"d1\",\"sessionId\":\"d2\",\"userId\":\"u-1\"}"),
                    UnaryOperator.identity(), "repeats the key 'sessionId'"),
            new Case("nested duplicate key", bytes("{\"sessionId\":\"d1\",\"userId\":\"u-1\",\"context\":{\"k\":1,\"k\":2}}"),
                    UnaryOperator.identity(), "repeats the key 'k'"));

    private static IngestUnderTest ingest;
    private static String mcpSession;
    private static RawMcp.SseSession sse;
    private long recordsBefore;

    @BeforeAll
    static void start(TestNamespace ns) throws Exception {
        ingest = IngestUnderTest.start(ns, Map.of());
        mcpSession = RawMcp.streamableSession(ingest.baseUrl());
        sse = new RawMcp.SseSession(ingest.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (sse != null) {
            sse.close();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void countRecords() {
        recordsBefore = ingest.recordsOnPersistenceTopics();
    }

    @AfterEach
    void nothingReachedKafka() {
        assertThat(ingest.recordsOnPersistenceTopics()).as("records on the persistence topics").isEqualTo(recordsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void theJsonApiRefusesIt(Case bad) throws Exception {
        assertProblem(RawMcp.post(ingest.baseUrl() + "/api/v1/sessions", bad.whole().apply(bad.arguments()),
                "Content-Type", "application/json"), bad.rule());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void aBatchRefusesIt(Case bad) throws Exception {
        byte[] body = bad.whole().apply(concat(bytes("{\"writes\":[{\"operation\":\"persist_session\",\"arguments\":"),
                bad.arguments(), bytes("}]}")));
        assertProblem(RawMcp.post(ingest.baseUrl() + "/api/v1/batch", body, "Content-Type", "application/json"), bad.rule());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void theBareCallRefusesIt(Case bad) throws Exception {
        byte[] body = bad.whole().apply(concat(bytes("{\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\","
                + "\"arguments\":"), bad.arguments(), bytes("}}")));
        assertProblem(RawMcp.post(ingest.baseUrl() + "/mcp/message", body, "Content-Type", "application/json"), bad.rule());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void streamableHttpRefusesItAsAParseError(Case bad) throws Exception {
        HttpResponse<String> response = RawMcp.post(ingest.baseUrl() + "/mcp", bad.whole().apply(toolCall(bad.arguments())),
                "Content-Type", "application/json", "Accept", RawMcp.ACCEPT, "Mcp-Session-Id", mcpSession,
                "MCP-Protocol-Version", RawMcp.VERSION);

        assertParseError(response, bad.rule());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void theSseMessageEndpointRefusesItAsAParseError(Case bad) throws Exception {
        HttpResponse<String> response = RawMcp.post(sse.messageUrl, bad.whole().apply(toolCall(bad.arguments())),
                "Content-Type", "application/json");

        assertParseError(response, bad.rule());
    }

    private static void assertProblem(HttpResponse<String> response, String rule) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = json(response);
        assertThat(problem.get("field").asText()).isEqualTo("(body)");
        assertThat(problem.get("rule").asText()).contains(rule);
    }

    private static void assertParseError(HttpResponse<String> response, String rule) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(error.at("/error/message").asText()).startsWith("Parse error: ").contains(rule);
    }

    private static byte[] toolCall(byte[] arguments) {
        return concat(bytes("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\","
                + "\"arguments\":"), arguments, bytes("}}"));
    }

    private static byte[] args(String status) {
        return bytes("{\"sessionId\":\"sb-1\",\"userId\":\"u-1\",\"status\":" + status + "}");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
