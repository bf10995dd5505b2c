package dev.mtp.runtime.logging;

import java.util.Locale;
import java.util.Optional;

/**
 * The log output format, chosen before anything else is configured: {@code LOG_FORMAT} environment variable or
 * {@code -Dlog.format}, {@code json} (default: one JSON object per line) or {@code text} (readable pattern).
 */
public enum LogFormat {
    JSON, TEXT;

    /** The format named by {@code -Dlog.format} or {@code LOG_FORMAT}; an unknown name means JSON (see {@link #problem}). */
    public static LogFormat current() {
        return parse(raw()).orElse(JSON);
    }

    /** A warning to log when the configured name is not one of json, text. */
    public static Optional<String> problem() {
        String raw = raw();
        if (raw == null || parse(raw).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("LOG_FORMAT '" + raw + "' is not one of json, text; logging as json");
    }

    static Optional<LogFormat> parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.of(JSON);
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> Optional.of(JSON);
            case "text" -> Optional.of(TEXT);
            default -> Optional.empty();
        };
    }

    private static String raw() {
        String p = System.getProperty("log.format");
        return p != null ? p : System.getenv("LOG_FORMAT");
    }
}
