package dev.mtp.ingest.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host with an optional port, as the Host header and an Origin write it (RFC 9110): a name or IPv4 address, or an
 * IPv6 address in brackets, then {@code :port}. Parsed, never prefix-matched: {@code localhost:8080.evil.example} is
 * not {@code localhost} with a port. Names compare case-insensitively, IPv6 addresses in any of their spellings.
 */
record Authority(String host, int port) {
    /** No port given. */
    static final int NO_PORT = -1;
    /** {@code :*} in a pattern: any port. */
    static final int ANY_PORT = -2;

    private static final Pattern SHAPE = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(?::(\\d{1,5}|\\*))?");

    /** @param portPattern whether {@code :*} is allowed (in configured patterns, not in what a client sends) */
    static Optional<Authority> parse(String text, boolean portPattern) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String host = m.group(1);
        if (host.startsWith("[")) {
            Optional<String> ipv6 = canonicalIpv6(host.substring(1, host.length() - 1));
            if (ipv6.isEmpty()) {
                return Optional.empty();
            }
            host = "[" + ipv6.get() + "]";
        } else if (host.startsWith(".") || host.startsWith("-") || host.contains("..")) {
            return Optional.empty();
        }
        String port = m.group(2);
        if (port == null) {
            return Optional.of(new Authority(host.toLowerCase(Locale.ROOT), NO_PORT));
        }
        if (port.equals("*")) {
            return portPattern ? Optional.of(new Authority(host.toLowerCase(Locale.ROOT), ANY_PORT)) : Optional.empty();
        }
        int number = Integer.parseInt(port);
        return number > 65_535 ? Optional.empty() : Optional.of(new Authority(host.toLowerCase(Locale.ROOT), number));
    }

    /** Whether {@code other} (a parsed Host or Origin) is this pattern; a pattern without port matches only {@code defaultPort}. */
    boolean matches(Authority other, int defaultPort) {
        if (!host.equals(other.host)) {
            return false;
        }
        int otherPort = other.port == NO_PORT ? defaultPort : other.port;
        return port == ANY_PORT || (port == NO_PORT ? defaultPort : port) == otherPort;
    }

    @Override
    public String toString() {
        return port == NO_PORT ? host : host + ":" + (port == ANY_PORT ? "*" : Integer.toString(port));
    }

    private static Optional<String> canonicalIpv6(String literal) {
        if (!literal.contains(":")) {
            return Optional.empty();
        }
        try {
            // Only hex digits, ':' and '.' get here, so this parses a literal and never asks DNS.
            return Optional.of(InetAddress.getByName(literal).getHostAddress().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
