package dev.mtp.mongowriter.write;

import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.runtime.consume.SourcedEvent;

/**
 * A record one write of its event did not apply, and why: the writer counts the reasons apart and logs stale ones
 * (docs/decisions/0012).
 *
 * @param stored the version of the event's topic the document held (or was believed to hold) when it was skipped
 */
public record Skipped(SourcedEvent event, Reason reason, Version stored) {

    public enum Reason {
        /** The document holds this very event's version (same incarnation and offset): redelivery; normal. */
        DUPLICATE,
        /** The document holds a greater offset of the same incarnation: only a replay delivers such an event. */
        STALE,
        /** Older than the session's deletion: erased with the session, never written. */
        ERASED
    }

    /** A skip by the version rule: {@link Decision#DUPLICATE} or {@link Decision#STALE}. */
    static Skipped of(SourcedEvent event, Decision decision, Version stored) {
        return new Skipped(event, switch (decision) {
            case DUPLICATE -> Reason.DUPLICATE;
            case STALE -> Reason.STALE;
            // mongo-writer consumes the incarnation it writes: another one is superseded, never kept
            case APPLY, OTHER_INCARNATION -> throw new IllegalArgumentException(decision + " is not a skip");
        }, stored);
    }
}
