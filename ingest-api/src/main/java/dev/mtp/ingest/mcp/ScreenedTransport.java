package dev.mtp.ingest.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.ingest.http.JsonBodies;
import dev.mtp.ingest.http.MalformedJsonException;
import dev.mtp.ingest.http.StrictJson;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in front of one of the MCP SDK's servlet transports and hands it only what it can take: a body within
 * {@code app.http.max-body-bytes}, strict UTF-8 JSON ({@link StrictJson}), one well-formed JSON-RPC message
 * ({@link JsonRpcScreen}) and, on Streamable HTTP, a supported {@code MCP-Protocol-Version}. Everything else is
 * answered here, HTTP 400 (413 for size) with a JSON-RPC error naming the rule: the SDK would answer 500 with a Java
 * message, or decode a bad byte as U+FFFD, and log an ERROR line per request. The body it passes on is the bytes
 * it checked, replayed.
 */
public final class ScreenedTransport extends HttpServlet {
    static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";

    private final HttpServlet transport;
    private final int maxBodyBytes;
    private final List<String> protocolVersions;

    /**
     * @param protocolVersions the versions {@code MCP-Protocol-Version} may name; empty for a transport without the
     *                         header (the legacy SSE one)
     */
    public ScreenedTransport(HttpServlet transport, int maxBodyBytes, List<String> protocolVersions) {
        this.transport = transport;
        this.maxBodyBytes = maxBodyBytes;
        this.protocolVersions = protocolVersions;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        transport.init(config);
    }

    @Override
    public void destroy() {
        transport.destroy();
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!request.getMethod().equals("POST")) {
            if (versionRefused(request, response)) {
                return;
            }
            transport.service(request, response);
            return;
        }
        byte[] body = JsonBodies.readBytes(request, response, maxBodyBytes);
        if (body == null) {
            refuse(response, 413, McpSchema.ErrorCodes.INVALID_REQUEST, "Request too large: the body must be at most "
                    + maxBodyBytes + " bytes (app.http.max-body-bytes)", null, Map.of("field", "(body)"));
            return;
        }
        JsonNode message;
        try {
            JsonBodies.requireUtf8(request);
            message = StrictJson.parse(body);
        } catch (MalformedJsonException e) {
            refuse(response, 400, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the body " + e.rule(), null,
                    Map.of("field", "(body)", "rule", e.rule()));
            return;
        }
        Optional<JsonRpcScreen.Refusal> refusal = JsonRpcScreen.check(message);
        if (refusal.isPresent()) {
            JsonRpcScreen.Refusal r = refusal.get();
            refuse(response, 400, r.code(), r.message(), r.id(), Map.of("field", r.field(), "rule", r.rule()));
            return;
        }
        if (!McpSchema.METHOD_INITIALIZE.equals(message.path("method").textValue()) && versionRefused(request, response)) {
            return;
        }
        transport.service(new Replayed(request, body), response);
    }

    /** Streamable HTTP only: a request after initialize names the negotiated version, which must be one we speak. */
    private boolean versionRefused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String version = request.getHeader(PROTOCOL_VERSION_HEADER);
        if (protocolVersions.isEmpty() || version == null || protocolVersions.contains(version)) {
            return false;
        }
        String shown = version.length() > 64 ? version.substring(0, 64) + "..." : version;
        refuse(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "Unsupported protocol version: "
                + PROTOCOL_VERSION_HEADER + " '" + shown + "' is not one this server speaks; supported: "
                + String.join(", ", protocolVersions), null, Map.of("field", PROTOCOL_VERSION_HEADER));
        return true;
    }

    private static void refuse(HttpServletResponse response, int status, int code, String message, JsonNode id,
                               Map<String, Object> data) throws IOException {
        McpErrors.write(response, status, id, code, message, data);
    }

    /** The request with its body replaced by the checked bytes, read as UTF-8 whatever the Content-Type says. */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final byte[] body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the checked body is replayed synchronously");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
