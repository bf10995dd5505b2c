package dev.mtp.ingest.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * API keys on every API path (MCP and JSON): a key goes in {@code Authorization: Bearer <key>} or in
 * {@code X-API-Key: <key>}. No key: 401 with {@code WWW-Authenticate}; a key that is not one of
 * {@code app.auth.api-keys}: 403. Keys are compared in constant time and never logged. The ops
 * endpoints (health, metrics) are on the ops port and stay open.
 */
public final class AuthFilter extends HttpFilter {
    private static final String BEARER = "Bearer ";

    private final List<byte[]> keys;

    public AuthFilter(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is needed");
        }
        this.keys = keys.stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String presented = credential(request);
        if (presented == null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"mtp-ingest\"");
            JsonResponses.refuseUnread(response, 401, "Authentication required", "send an API key as 'Authorization: Bearer "
                    + "<key>' or 'X-API-Key: <key>'", "Authorization");
            return;
        }
        if (!accepted(presented)) {
            JsonResponses.refuseUnread(response, 403, "API key not accepted", "the API key sent is not one of this "
                    + "service's keys (app.auth.api-keys)", "Authorization");
            return;
        }
        chain.doFilter(request, response);
    }

    private static String credential(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).strip();
            return token.isEmpty() ? null : token;
        }
        String apiKey = request.getHeader("X-API-Key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    private boolean accepted(String presented) {
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, bytes);
        }
        return match;
    }
}
