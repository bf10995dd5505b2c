package dev.mtp.cachestore;

import java.util.Objects;

/** One write's outcome, or why it failed. Exactly one of {@code outcome} and {@code error} is set. */
public record WriteResult(CacheWrite write, WriteOutcome outcome, Throwable error) {

    public WriteResult {
        Objects.requireNonNull(write, "write");
        if ((outcome == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of outcome and error");
        }
    }

    public static WriteResult of(CacheWrite write, WriteOutcome outcome) {
        return new WriteResult(write, outcome, null);
    }

    public static WriteResult failed(CacheWrite write, Throwable error) {
        return new WriteResult(write, null, error);
    }

    public boolean failed() {
        return error != null;
    }
}
