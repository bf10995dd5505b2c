package dev.mtp.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * MCP sessions opened by hand over raw HTTP, so that tests can send bytes no SDK client would: a Streamable HTTP
 * session at /mcp (initialized, with its Mcp-Session-Id) and a legacy SSE session (its stream read in the background,
 * its message endpoint from the endpoint event).
 */
final class RawMcp {
    static final String ACCEPT = "application/json, text/event-stream";
    static final String VERSION = "2025-11-25";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RawMcp() {}

    static String initialize(String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw-test\",\"version\":\"1\"}}}";
    }

    static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    static HttpResponse<String> post(String url, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** An initialized Streamable HTTP session; its id goes in {@code Mcp-Session-Id}. */
    static String streamableSession(String baseUrl) throws Exception {
        HttpResponse<String> init = post(baseUrl + "/mcp", initialize(VERSION).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Accept", ACCEPT);
        if (init.statusCode() != 200) {
            throw new IllegalStateException("initialize answered " + init.statusCode() + ": " + init.body());
        }
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(baseUrl + "/mcp", INITIALIZED.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
                "Accept", ACCEPT, "Mcp-Session-Id", session, "MCP-Protocol-Version", VERSION);
        return session;
    }

    /** A legacy SSE session: GET /sse held open, its events collected as lines. */
    static final class SseSession implements AutoCloseable {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();
        private final Stream<String> stream;
        final String messageUrl;

        SseSession(String baseUrl) throws Exception {
            HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/sse"))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /sse answered " + response.statusCode());
            }
            stream = response.body();
            Thread reader = new Thread(() -> {
                try {
                    stream.forEach(lines::add);
                } catch (RuntimeException closed) {
                    // the stream ends when the test closes it
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            String endpoint = nextData();
            messageUrl = baseUrl + endpoint;
            post(messageUrl, initialize("2024-11-05").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
            nextData();
            post(messageUrl, INITIALIZED.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        }

        /** The next event's data, waiting up to 10 s. */
        String nextData() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    seen.add(line);
                    if (line.startsWith("data:")) {
                        return line.substring(5).strip();
                    }
                }
            }
            throw new IllegalStateException("no SSE event within 10 s");
        }

        /** Every line the stream carried so far, after waiting {@code quietMs} for more. */
        List<String> drain(long quietMs) throws InterruptedException {
            String line;
            while ((line = lines.poll(quietMs, TimeUnit.MILLISECONDS)) != null) {
                seen.add(line);
            }
            return List.copyOf(seen);
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
