package dev.mtp.runtime.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mtp.runtime.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The ops HTTP endpoints of every app, on {@code ops.port}, with the JDK's built-in server:
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process runs;</li>
 *   <li>{@code GET /health/ready}: 200 when every readiness check passes, 503 otherwise; JSON body with each
 *       check's status and detail;</li>
 *   <li>{@code GET /metrics}: Prometheus text format.</li>
 * </ul>
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} on all interfaces (0 = any free port) and starts serving.
     *
     * @param readiness what {@code /health/ready} runs
     * @param metrics   what {@code /metrics} returns
     * @throws StartupException if the port is in use or cannot be bound
     */
    public static OpsServer start(int port, Supplier<HealthReport> readiness, Supplier<String> metrics) {
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 32);
        } catch (BindException e) {
            throw new StartupException("ops.port " + port + " is already in use", e);
        } catch (IOException e) {
            throw new StartupException("cannot open ops.port " + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("ops-http-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/health/live", get("/health/live", ex -> sendJson(ex, 200, status(true))));
        server.createContext("/health/ready", get("/health/ready", ex -> {
            HealthReport report = readiness.get();
            sendJson(ex, report.up() ? 200 : 503, toJson(report));
        }));
        server.createContext("/metrics", get("/metrics", ex -> send(ex, 200, PROMETHEUS_TEXT, metrics.get())));
        server.createContext("/", get(null, OpsServer::notFound));
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        log.atInfo().setMessage("ops server listening on port {}").addArgument(ops.port())
                .addKeyValue("port", ops.port()).log();
        return ops;
    }

    /** The bound port (the actual one when started with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving at once; exchanges in progress get up to a second to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    static ObjectNode toJson(HealthReport report) {
        ObjectNode body = status(report.up());
        ArrayNode checks = body.putArray("checks");
        for (HealthReport.Result r : report.checks()) {
            checks.addObject()
                    .put("name", r.name())
                    .put("status", r.up() ? "UP" : "DOWN")
                    .put("detail", r.detail())
                    .put("durationMs", r.durationMs());
        }
        return body;
    }

    private static ObjectNode status(boolean up) {
        return JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
    }

    private static void notFound(HttpExchange ex) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error", "not found");
        body.putArray("endpoints").add("/health/live").add("/health/ready").add("/metrics");
        sendJson(ex, 404, body);
    }

    /** Serves GET and HEAD on exactly {@code path} (contexts match by prefix); {@code null} path = anything. */
    private static HttpHandler get(String path, HttpHandler handler) {
        return ex -> {
            try (ex) {
                if (path != null && !path.equals(ex.getRequestURI().getPath())) {
                    notFound(ex);
                    return;
                }
                String method = ex.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    sendJson(ex, 405, JSON.createObjectNode().put("error", "method " + method + " not allowed"));
                    return;
                }
                handler.handle(ex);
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("ops endpoint {} failed", ex.getRequestURI(), e);
                sendJson(ex, 500, JSON.createObjectNode().put("error", String.valueOf(e.getMessage())));
            }
        };
    }

    private static void sendJson(HttpExchange ex, int status, ObjectNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
