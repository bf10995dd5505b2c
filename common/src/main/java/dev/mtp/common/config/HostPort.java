package dev.mtp.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** One {@code host:port} address, e.g. a Kafka bootstrap server. IPv6 hosts are written in brackets: {@code [::1]:9092}. */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}. */
    public static HostPort parse(String text) {
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new InvalidValueException("is not host:port ('" + s + "' should look like [::1]:9092)");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new InvalidValueException("is not host:port ('" + s + "' should look like localhost:9092)");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
            throw new InvalidValueException("is not host:port ('" + s + "' has no valid host)");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("is not host:port ('" + s + "' has no numeric port)");
        }
        if (p < 1 || p > 65535) {
            throw new InvalidValueException("is not host:port ('" + s + "' has port " + p + ", not between 1 and 65535)");
        }
        return new HostPort(host, p);
    }

    /** Parses a comma-separated list of at least one {@code host:port}; blank items are not allowed. */
    public static List<HostPort> parseList(String text) {
        List<HostPort> result = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (item.isBlank()) {
                throw new InvalidValueException("is not a comma-separated list of host:port (it has an empty entry)");
            }
            result.add(parse(item));
        }
        return List.copyOf(result);
    }

    /** The list as Kafka's {@code bootstrap.servers} wants it: {@code h1:9092,h2:9092}. */
    public static String join(List<HostPort> list) {
        return list.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
