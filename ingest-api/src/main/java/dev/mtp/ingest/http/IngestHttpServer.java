package dev.mtp.ingest.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest's API server (Jetty 12): MCP at /mcp (Streamable HTTP), /sse and /mcp/message (legacy
 * SSE and the seed's bare calls), the JSON API under /api/v1. Filters run on every path in order
 * (Host validation, Origin validation, then API keys when on). Health and metrics are on the separate ops port.
 */
public final class IngestHttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    /**
     * @param servlets path spec to servlet, e.g. "/mcp" or "/api/v1/*"
     * @param filters  applied to every path, in this order
     */
    public IngestHttpServer(String host, int port, int maxThreads, Map<String, HttpServlet> servlets, List<Filter> filters) {
        this(host, port, maxThreads, servlets, filters, Optional.empty());
    }

    /** @param https the key store when the port serves HTTPS itself, else plain HTTP */
    public IngestHttpServer(String host, int port, int maxThreads, Map<String, HttpServlet> servlets, List<Filter> filters,
                            Optional<HttpsKeystore> https) {
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        threads.setName("ingest-http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = https.map(keystore -> new ServerConnector(server, keystore.connectionFactories(http)))
                .orElseGet(() -> new ServerConnector(server, new HttpConnectionFactory(http)));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        for (Filter filter : filters) {
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        for (Map.Entry<String, HttpServlet> entry : new LinkedHashMap<>(servlets).entrySet()) {
            ServletHolder holder = new ServletHolder(entry.getValue());
            // SSE streams and Streamable HTTP responses are written asynchronously by the MCP SDK.
            holder.setAsyncSupported(true);
            context.addServlet(holder, entry.getKey());
        }
        server.setHandler(context);
        // Jetty's default error pages may show exception details; ours show status and reason only.
        ErrorHandler errors = new ClosingErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setStopTimeout(10_000);
    }

    /**
     * A request line or header block too long to read (414, 431) ends the connection: the server cannot know where the
     * next request would start. The answer says so (RFC 9112), so a client does not send its next request on it.
     */
    private static final class ClosingErrorHandler extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            int status = response.getStatus();
            if (status == HttpStatus.URI_TOO_LONG_414 || status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431) {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            return super.handle(request, response, callback);
        }
    }

    public void start() throws Exception {
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
