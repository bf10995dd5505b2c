package dev.mtp.ingest.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Origin validation on every API path (MCP spec: servers must validate Origin to stop DNS rebinding), so MCP and
 * JSON endpoints apply one rule ({@link AllowedOrigins}, parsed and compared structurally). Requests without an
 * Origin (curl, server-side clients) pass; a browser page from an origin not in {@code app.http.allowed-origins}
 * gets 403. The SDK's transports are given no validator of their own: every request has passed this one.
 */
public final class OriginFilter extends HttpFilter {
    private final AllowedOrigins allowed;

    public OriginFilter(AllowedOrigins allowed) {
        this.allowed = allowed;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin != null && !allowed.allows(origin)) {
            String shown = origin.length() > 100 ? origin.substring(0, 100) + "..." : origin;
            JsonResponses.refuseUnread(response, 403, "Origin not allowed", "Origin '" + shown + "' may not call this "
                    + "API; allowed origins: " + String.join(", ", allowed.patterns()) + " (app.http.allowed-origins)",
                    "Origin");
            return;
        }
        chain.doFilter(request, response);
    }
}
