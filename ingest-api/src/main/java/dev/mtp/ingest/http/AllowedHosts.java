package dev.mtp.ingest.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names this server answers to ({@code app.http.allowed-hosts}), checked against every request's Host header:
 * the DNS-rebinding defence for requests that carry no Origin (a same-origin GET from a page whose name an attacker
 * pointed at this server carries that name as Host). Entries are {@code host}, {@code host:port} or {@code host:*};
 * a host without port matches any port, and {@code *} alone turns the check off.
 */
public final class AllowedHosts {
    /** The loopback names, with any port: what a server bound to loopback is reached by. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    private final List<Authority> entries;
    private final boolean any;

    private AllowedHosts(List<Authority> entries, boolean any) {
        this.entries = entries;
        this.any = any;
    }

    /** @throws IllegalArgumentException naming the first entry that is not a host, or when there is none */
    public static AllowedHosts parse(List<String> names) {
        if (names.isEmpty()) {
            // An empty list would refuse every request with 421, which no one configures on purpose.
            throw new IllegalArgumentException("names no host; list at least one, or * for any");
        }
        if (names.equals(List.of("*"))) {
            return new AllowedHosts(List.of(), true);
        }
        List<Authority> entries = new ArrayList<>();
        for (String name : names) {
            Authority entry = Authority.parse(name, true).orElseThrow(() -> new IllegalArgumentException("'" + name
                    + "' is not a host: a name, an IPv4 address or a bracketed IPv6 address, then optionally :port or :*"));
            entries.add(entry.port() == Authority.NO_PORT ? new Authority(entry.host(), Authority.ANY_PORT) : entry);
        }
        return new AllowedHosts(List.copyOf(entries), false);
    }

    public boolean allows(String hostHeader) {
        if (any) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        Optional<Authority> host = Authority.parse(hostHeader.strip(), false);
        return host.isPresent() && entries.stream().anyMatch(entry -> entry.matches(host.get(), 80));
    }

    @Override
    public String toString() {
        return any ? "*" : String.join(", ", entries.stream().map(Authority::toString).toList());
    }
}
