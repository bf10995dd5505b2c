package dev.mtp.ingest.application.sync;

import dev.mtp.common.event.EventEnvelope;

/**
 * Outbound port of the hybrid fast path: writes an acknowledged event's strategy projection to the
 * cache directly, version-guarded by the event's offset with the same rule and the same code as
 * cache-writer (docs/decisions/0001), so the fast path and the event path commute: whichever comes
 * second is a duplicate or stale and changes nothing.
 */
public interface CacheFastPath {

    /** Whether this event has a projection the fast path can write (e.g. not an evaluation). */
    boolean handles(EventEnvelope event);

    /** What a direct write did. */
    enum Outcome {
        /** The projection is in the cache. */
        WRITTEN,
        /** The cache already held this version or a newer one. */
        ALREADY_NEWER,
        /**
         * The cache holds a value written from another incarnation of the topic, which only cache-writer, consuming
         * the topic, may replace (docs/decisions/0012).
         */
        OTHER_INCARNATION
    }

    /** Writes the projection of {@code event} at version {@code offset}. */
    Outcome write(EventEnvelope event, int partition, long offset) throws Exception;
}
