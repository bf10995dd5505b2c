package dev.mtp.runtime.ops;

import java.util.Objects;

/** The outcome of one health check: up or down, with a short human-readable detail. */
public record Health(boolean up, String detail) {

    public Health {
        Objects.requireNonNull(detail, "detail");
    }

    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }
}
