package dev.mtp.ingest.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Host validation on every API path, before anything else: a request whose Host is not one of this server's names
 * ({@link AllowedHosts}) gets 421 Misdirected Request. Origin validation cannot stop DNS rebinding alone: a
 * same-origin GET from the rebound page carries no Origin, only the attacker's name as Host.
 */
public final class HostFilter extends HttpFilter {
    private final AllowedHosts allowed;

    public HostFilter(AllowedHosts allowed) {
        this.allowed = allowed;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String host = request.getHeader("Host");
        if (!allowed.allows(host)) {
            String shown = host == null ? "(none)" : host.length() > 100 ? host.substring(0, 100) + "..." : host;
            JsonResponses.refuseUnread(response, 421, "Host not allowed", "Host '" + shown + "' is not one of this "
                    + "server's names (app.http.allowed-hosts); a page that reached it through another DNS name is "
                    + "refused (DNS rebinding)", "Host");
            return;
        }
        chain.doFilter(request, response);
    }
}
