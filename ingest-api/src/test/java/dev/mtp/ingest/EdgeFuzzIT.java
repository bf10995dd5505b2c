package dev.mtp.ingest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Malformed requests, generated from a seed, on every adapter of the real ingest (real broker): the JSON API and its
 * batch, the seed's bare calls, Streamable HTTP at /mcp, and an initialized legacy SSE session's message endpoint.
 * Each case starts from a valid write and breaks it in one way that must get it refused: a truncated or trailing
 * body, invalid UTF-8, an unpaired surrogate, a duplicate key, a byte order mark or UTF-16, a value that is no
 * request, a wrong charset, a foreign Host or Origin, a bad path id, a broken JSON-RPC envelope or protocol version.
 * Every answer must be a 4xx without a Java class or parser message, nothing may reach Kafka, the SSE stream may
 * carry nothing internal, and the MCP SDK may log no ERROR line.
 *
 * <p>{@code -Dfuzz.seed=N} replays or varies the run, {@code -Dfuzz.cases=N} sets the cases per adapter; a failure
 * names the seed, the case and the request.
 */
@RealServers
class EdgeFuzzIT {
    static final long SEED = Long.getLong("fuzz.seed", 20_261_207L);
    static final int CASES = Integer.getInteger("fuzz.cases", 300);
    static final List<String> LEAKS = List.of("java.", "javax.", "jakarta.", "com.fasterxml", "io.modelcontextprotocol",
            "reactor.", "Exception", "\tat ", "Cannot deserialize", "Cannot invoke", "Cannot construct", "HashMap",
            "Unrecognized token", "Unexpected character", "Unexpected end-of-input", "was expecting", "Duplicate field",
            "Trailing token", "Invalid UTF-8", "(code ", "-32603");

    private static IngestUnderTest ingest;
    private static String mcpSession;
    private static RawMcp.SseSession sse;
    private static final ListAppender<ILoggingEvent> sdkLog = new ListAppender<>();
    private long recordsBefore;

    @BeforeAll
    static void start(TestNamespace ns) throws Exception {
        ingest = IngestUnderTest.start(ns, Map.of());
        mcpSession = RawMcp.streamableSession(ingest.baseUrl());
        sse = new RawMcp.SseSession(ingest.baseUrl());
        sdkLog.start();
        ((Logger) LoggerFactory.getLogger("io.modelcontextprotocol")).addAppender(sdkLog);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("io.modelcontextprotocol")).detachAppender(sdkLog);
        if (sse != null) {
            sse.close();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    @BeforeEach
    void countRecords() {
        recordsBefore = ingest.recordsOnPersistenceTopics();
        sdkLog.list.clear();
    }

    @AfterEach
    void nothingPublishedNothingLogged() {
        assertThat(ingest.recordsOnPersistenceTopics()).as("records on the persistence topics").isEqualTo(recordsBefore);
        assertThat(sdkLog.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).as("MCP SDK error lines").isEmpty();
    }

    @Test
    void theJsonApiAndItsBatchRefuseEveryMalformedRequest() throws Exception {
        run(1, random -> switch (random.nextInt(5)) {
            case 0 -> new Target("POST", "/api/v1/sessions", SESSION_ARGUMENTS, List.of());
            case 1 -> new Target("PATCH", "/api/v1/sessions/fz-1", "{\"status\":\"@T@\",\"context\":{@C@}}", List.of());
            case 2 -> new Target("POST", "/api/v1/interactions",
                    "{\"sessionId\":\"fz-1\",\"role\":\"user\",\"request\":\"@T@\",\"context\":{@C@}}", List.of());
            case 3 -> new Target("POST", "/api/v1/evaluations",
                    "{\"entityId\":\"fz-1\",\"entityType\":\"session\",\"evaluationData\":{\"note\":\"@T@\",@C@}}", List.of());
            default -> new Target("POST", "/api/v1/batch",
                    "{\"writes\":[{\"operation\":\"persist_session\",\"arguments\":" + SESSION_ARGUMENTS + "}]}", List.of());
        }, "bad path");
    }

    @Test
    void theBareCallsRefuseEveryMalformedRequest() throws Exception {
        run(2, random -> new Target("POST", "/mcp/message",
                "{\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":" + SESSION_ARGUMENTS + "}}",
                List.of()));
    }

    @Test
    void streamableHttpRefusesEveryMalformedRequest() throws Exception {
        run(3, random -> new Target("POST", "/mcp", TOOL_CALL, List.of("Accept: " + RawMcp.ACCEPT,
                "Mcp-Session-Id: " + mcpSession, "MCP-Protocol-Version: " + RawMcp.VERSION)), "JSON-RPC envelope",
                "protocol version");
    }

    @Test
    void theSseTransportRefusesEveryMalformedRequestAndItsStreamStaysClean() throws Exception {
        String path = sse.messageUrl.substring(ingest.baseUrl().length());
        run(4, random -> new Target("POST", path, TOOL_CALL, List.of()), "JSON-RPC envelope");
        for (String line : sse.drain(300)) {
            for (String leak : LEAKS) {
                assertThat(line).as("SSE stream line").doesNotContain(leak);
            }
        }
    }

    static final String SESSION_ARGUMENTS = "{\"sessionId\":\"fz-1\",\"userId\":\"u-1\",\"status\":\"@T@\",\"context\":{@C@}}";
    static final String TOOL_CALL = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
            + "\"persist_session\",\"arguments\":" + SESSION_ARGUMENTS + "}}";

    /** A valid write on one adapter: @T@ is a text value, @C@ the members of a user map. */
    record Target(String method, String path, String template, List<String> headers) {
        byte[] valid() {
            return utf8(template.replace("@T@", "active").replace("@C@", "\"a\":1"));
        }
    }

    /** One malformed request and what it is, for the failure message. */
    record Request(String kind, String method, String path, byte[] body, List<String> headers) {}

    private void run(int adapter, Function<SplittableRandom, Target> targets, String... moreBreaks) throws Exception {
        List<String> breaks = new ArrayList<>(BREAKS);
        breaks.addAll(List.of(moreBreaks));
        SplittableRandom random = new SplittableRandom(SEED * 31 + adapter);
        for (int i = 0; i < CASES; i++) {
            Request request = malformed(random, targets.apply(random), breaks);
            List<String> headers = new ArrayList<>(request.headers());
            if (headers.stream().noneMatch(h -> h.startsWith("Host:"))) {
                headers.add("Host: 127.0.0.1:" + ingest.port());
            }
            if (headers.stream().noneMatch(h -> h.startsWith("Content-Type:"))) {
                headers.add("Content-Type: application/json");
            }
            RawHttp.Response response = RawHttp.exchange(ingest.port(), request.method(), request.path(), request.body(),
                    headers.toArray(String[]::new));
            String described = "seed " + SEED + ", adapter " + adapter + ", case " + i + " (" + request.kind() + "): "
                    + request.method() + " " + request.path() + " " + headers + " " + shown(request.body());
            if (response.status() < 400 || response.status() > 499) {
                fail(described + "\nanswered " + response.status() + ": " + response.body());
            }
            for (String leak : LEAKS) {
                if (response.body().contains(leak) || response.headers().toString().contains(leak)) {
                    fail(described + "\nleaks '" + leak + "': " + response.body());
                }
            }
        }
    }

    /** What can be broken on every adapter; some adapters add their own (paths, JSON-RPC envelope, version header). */
    static final List<String> BREAKS = List.of("truncated", "data after the value", "invalid UTF-8", "unpaired surrogate",
            "duplicate key", "encoding", "no request", "random bytes", "charset", "foreign Host", "foreign Origin");

    private static Request malformed(SplittableRandom random, Target target, List<String> breaks) {
        String kind = pick(random, breaks);
        String method = target.method();
        String path = target.path();
        List<String> headers = new ArrayList<>(target.headers());
        byte[] valid = target.valid();
        return switch (kind) {
            case "truncated" -> new Request(kind, method, path, java.util.Arrays.copyOf(valid, random.nextInt(valid.length)), headers);
            case "data after the value" -> new Request(kind, method, path, concat(valid, utf8(pick(random, TRAILERS))), headers);
            case "invalid UTF-8" -> new Request(kind, method, path, withText(target, pick(random, INVALID_UTF8)), headers);
            case "unpaired surrogate" -> new Request(kind, method, path,
                    utf8(target.template().replace("@T@", pick(random, SURROGATES)).replace("@C@", "\"a\":1")), headers);
            case "duplicate key" -> new Request(kind, method, path,
                    utf8(target.template().replace("@T@", "active").replace("@C@", pick(random, DUPLICATES))), headers);
            case "encoding" -> new Request(kind, method, path, encoded(random, valid), headers);
            case "no request" -> new Request(kind, method, path, utf8(notARequest(random)), headers);
            case "random bytes" -> new Request(kind, method, path, randomBytes(random), headers);
            case "charset" -> {
                headers.add("Content-Type: application/json; charset=" + pick(random, CHARSETS));
                yield new Request(kind, method, path, valid, headers);
            }
            case "foreign Host" -> {
                headers.add("Host: " + pick(random, FOREIGN_HOSTS) + (random.nextBoolean() ? "" : ":" + random.nextInt(1, 65_536)));
                yield new Request(kind, method, path, valid, headers);
            }
            case "foreign Origin" -> {
                headers.add("Origin: " + pick(random, FOREIGN_ORIGINS));
                yield new Request(kind, method, path, valid, headers);
            }
            case "bad path" -> badPath(random, target);
            case "JSON-RPC envelope" -> envelope(random, target, headers);
            case "protocol version" -> {
                headers.removeIf(h -> h.startsWith("MCP-Protocol-Version:"));
                headers.add("MCP-Protocol-Version: " + pick(random, VERSIONS));
                yield new Request(kind, method, path, valid, headers);
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Request envelope(SplittableRandom random, Target target, List<String> headers) {
        String arguments = SESSION_ARGUMENTS.replace("@T@", "active").replace("@C@", "\"a\":1");
        return new Request("JSON-RPC envelope", target.method(), target.path(),
                utf8(pick(random, ENVELOPES).replace("@A@", arguments)), headers);
    }

    private static Request badPath(SplittableRandom random, Target target) {
        String id = "fz" + pick(random, BAD_ID_CHARACTERS) + random.nextInt(1_000);
        String path = switch (random.nextInt(4)) {
            case 0 -> "/api/v1/sessions/" + id;
            case 1 -> "/api/v1/interactions/" + id + "?sessionId=fz-1";
            case 2 -> "/api/v1/" + pick(random, UNKNOWN_RESOURCES);
            default -> "/api/v1/sessions/fz-1/" + id;
        };
        String method = path.startsWith("/api/v1/interactions/") ? "GET" : random.nextBoolean() ? "PATCH" : "GET";
        byte[] body = method.equals("GET") ? null : utf8("{\"status\":\"active\"}");
        return new Request("bad path", method, path, body, new ArrayList<>(target.headers()));
    }

    private static byte[] withText(Target target, byte[] text) {
        String[] parts = target.template().replace("@C@", "\"a\":1").split("@T@", 2);
        return concat(utf8(parts[0]), text, utf8(parts[1]));
    }

    private static byte[] encoded(SplittableRandom random, byte[] valid) {
        String text = new String(valid, StandardCharsets.UTF_8);
        return switch (random.nextInt(4)) {
            case 0 -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, valid);
            case 1 -> text.getBytes(StandardCharsets.UTF_16LE);
            case 2 -> text.getBytes(StandardCharsets.UTF_16);
            default -> text.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
        };
    }

    private static String notARequest(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> pick(random, NOT_REQUESTS);
            case 1 -> "[".repeat(random.nextInt(65, 1_200)) + "]".repeat(random.nextInt(1, 3));
            case 2 -> "{\"a\":".repeat(random.nextInt(65, 1_200)) + "1";
            default -> "\"" + "x".repeat(random.nextInt(0, 50)) + "\"";
        };
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(1, 64)];
        for (int i = 0; i < bytes.length; i++) {
            // Printable ASCII and high bytes: what a broken client or a scanner sends.
            bytes[i] = (byte) (random.nextBoolean() ? random.nextInt(0x20, 0x7f) : random.nextInt(0x80, 0x100));
        }
        bytes[0] = (byte) pick(random, List.of("{", "[", "\"", "x", "\u0001")).charAt(0);
        return bytes;
    }

    static final List<String> TRAILERS = List.of("garbage", "}", "]", "{}", "x", "1", ",", "{\"sessionId\":\"fz-2\"}",
            " null", "\n{", "\"", "//");
    static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xc0, (byte) 0xaf},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {'a', (byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
    static final List<String> SURROGATES = List.of("\\ud800", "\\udc00", "x\\ud83d", "\\ude00x", "\\ud800\\ud800",
            "\\udbff\\u0041");
    static final List<String> DUPLICATES = List.of("\"a\":1,\"a\":2", "\"a\":{\"b\":1,\"b\":2}", "\"a\":[{\"c\":1,\"c\":1}]",
            "\"k\":null,\"k\":null");
    static final List<String> NOT_REQUESTS = List.of("null", "[]", "123", "\"x\"", "true", "false", "{", "[{}]", "{}",
            "-1e400", "[1,2,3]", "{\"a\"}", "{:}", "'x'", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":\"\t\"}");
    static final List<String> CHARSETS = List.of("iso-8859-1", "utf-16", "latin1", "windows-1252", "bogus", "utf-32");
    static final List<String> FOREIGN_HOSTS = List.of("attacker.rebind.example", "localhost.evil", "evil", "127.0.0.2",
            "[::2]", "localhost:abc", "10.9.8.7", "x_y", "localhost.", "");
    static final List<String> FOREIGN_ORIGINS = List.of("http://localhost:8080.evil.example", "http://localhost:abc",
            "http://localhost.evil", "https://localhost:3000", "http://localhost:3000/x", "http://user@localhost:3000",
            "http://localhost:99999", "null", "http://evil.example", "file://", "http://127.0.0.1.evil:1", "localhost:1");
    static final List<String> VERSIONS = List.of("1999-01-01", "2025-11-26", "latest", "2.0", "2025-11-25x", "2024-11-5");
    static final List<String> BAD_ID_CHARACTERS = List.of(";", ";evil", "%3B", "%20", "!", "$", "'", "(", "*", "+", ",",
            "=", "@", "~", "%7E", "%00", "%FF", "%2", "%C3%A9");
    static final List<String> UNKNOWN_RESOURCES = List.of("session", "sessions/", "users", "", "batch/x", "sync",
            "sync/other", "interactions/a/b", "evaluations/e-1");
    static final List<String> ENVELOPES = List.of(
            "{\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":2,\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":[7],\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":7,\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":[@A@]}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":\"persist_session\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":1,\"arguments\":@A@}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":[@A@]}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":\"x\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1,\"capabilities\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"cursor\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":7}",
            "{\"jsonrpc\":\"2.0\",\"id\":7}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":\"x\"}}",
            "[" + "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\",\"arguments\":@A@}}" + "]");

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String shown(byte[] body) {
        if (body == null) {
            return "(no body)";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(body.length, 300); i++) {
            int b = body[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return body.length > 300 ? text + "... (" + body.length + " bytes)" : text.toString();
    }

    static byte[] utf8(String text) {
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
