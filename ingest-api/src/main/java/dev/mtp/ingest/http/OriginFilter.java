package dev.mtp.ingest.http;

import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Origin validation on every API path (MCP spec: servers must validate Origin to stop DNS rebinding),
 * with the SDK's own validator, so MCP and JSON endpoints apply one rule. Requests without an Origin
 * (curl, server-side clients) pass; a browser page from an origin not in {@code app.http.allowed-origins}
 * gets 403.
 */
public final class OriginFilter extends HttpFilter {
    private final ServerTransportSecurityValidator validator;
    private final List<String> allowed;

    public OriginFilter(ServerTransportSecurityValidator validator, List<String> allowed) {
        this.validator = validator;
        this.allowed = allowed;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        try {
            validator.validateHeaders(headers);
        } catch (ServerTransportSecurityException e) {
            JsonResponses.refuseUnread(response, e.getStatusCode(), "Origin not allowed", "Origin '"
                    + request.getHeader("Origin") + "' may not call this API; allowed origins: " + String.join(", ", allowed)
                    + " (app.http.allowed-origins)", "Origin");
            return;
        }
        chain.doFilter(request, response);
    }
}
