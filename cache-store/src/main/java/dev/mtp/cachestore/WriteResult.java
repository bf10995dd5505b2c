package dev.mtp.cachestore;

import java.util.Objects;

/**
 * One write's outcome, or why it failed. Exactly one of {@code outcome} and {@code error} is set.
 *
 * @param supersededOtherIncarnation the write applied over state of another incarnation of a topic (or state stored
 *                                   before incarnations were recorded), which it replaced (docs/decisions/0012)
 */
public record WriteResult(CacheWrite write, WriteOutcome outcome, Throwable error, boolean supersededOtherIncarnation) {

    public WriteResult {
        Objects.requireNonNull(write, "write");
        if ((outcome == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of outcome and error");
        }
        if (supersededOtherIncarnation && outcome != WriteOutcome.WRITTEN && outcome != WriteOutcome.REMOVED
                && outcome != WriteOutcome.EXPIRED) {
            throw new IllegalArgumentException("only a write that applied supersedes, not " + outcome);
        }
    }

    public static WriteResult of(CacheWrite write, WriteOutcome outcome) {
        return new WriteResult(write, outcome, null, false);
    }

    /** A write that applied over state of another incarnation. */
    public static WriteResult superseding(CacheWrite write, WriteOutcome outcome) {
        return new WriteResult(write, outcome, null, true);
    }

    public static WriteResult failed(CacheWrite write, Throwable error) {
        return new WriteResult(write, null, error, false);
    }

    public boolean failed() {
        return error != null;
    }
}
