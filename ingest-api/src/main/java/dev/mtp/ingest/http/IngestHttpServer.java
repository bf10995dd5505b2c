package dev.mtp.ingest.http;

import dev.mtp.ingest.tools.ToolRegistry;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The ingest's API server (Jetty 12): the MCP message endpoint now, the plain JSON API beside it. */
public final class IngestHttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public IngestHttpServer(String host, int port, ToolRegistry tools, int maxBodyBytes) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        threads.setName("ingest-http");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new McpMessageServlet(tools, maxBodyBytes)), "/mcp/message");
        server.setHandler(context);
        // Jetty's default error pages may show exception details; ours show status and reason only.
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setStopTimeout(10_000);
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
