package dev.mtp.ingest.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser origins allowed to call the API ({@code app.http.allowed-origins}): each pattern is
 * {@code scheme://host[:port]} with {@code :*} for any port. An Origin header is parsed into scheme, host and port
 * and compared field by field, so {@code http://localhost:*} allows {@code http://localhost:3000} but neither
 * {@code http://localhost:8080.evil.example} nor {@code http://localhost:abc}.
 */
public final class AllowedOrigins {
    private static final Pattern ORIGIN = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.+)");

    private record Origin(String scheme, Authority authority) {
        int defaultPort() {
            return switch (scheme) {
                case "http" -> 80;
                case "https" -> 443;
                default -> Authority.NO_PORT;
            };
        }
    }

    private final List<Origin> patterns;
    private final List<String> shown;

    private AllowedOrigins(List<Origin> patterns, List<String> shown) {
        this.patterns = patterns;
        this.shown = shown;
    }

    /** @throws IllegalArgumentException naming the first entry that is not an origin pattern */
    public static AllowedOrigins parse(List<String> entries) {
        List<Origin> patterns = new ArrayList<>();
        for (String entry : entries) {
            patterns.add(origin(entry, true).orElseThrow(() -> new IllegalArgumentException("'" + entry
                    + "' is not an origin pattern: scheme://host[:port], with :* for any port")));
        }
        return new AllowedOrigins(List.copyOf(patterns), List.copyOf(entries));
    }

    public boolean allows(String originHeader) {
        Optional<Origin> origin = origin(originHeader, false);
        return origin.isPresent() && patterns.stream().anyMatch(p -> p.scheme().equals(origin.get().scheme())
                && p.authority().matches(origin.get().authority(), origin.get().defaultPort()));
    }

    public List<String> patterns() {
        return shown;
    }

    private static Optional<Origin> origin(String text, boolean pattern) {
        Matcher m = ORIGIN.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Authority.parse(m.group(2), pattern)
                .map(authority -> new Origin(m.group(1).toLowerCase(Locale.ROOT), authority));
    }
}
