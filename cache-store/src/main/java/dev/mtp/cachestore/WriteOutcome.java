package dev.mtp.cachestore;

/** What a {@link CacheWrite} did. */
public enum WriteOutcome {
    /** The value was written with its expiry. */
    WRITTEN,
    /** The key (or a whole session's keys) was removed; a tombstone holds its versions. */
    REMOVED,
    /** A removal found nothing to remove, and no tombstone was asked for. */
    ABSENT,
    /** The value's TTL had already passed when it was written: not cached, and any older copy was removed. */
    EXPIRED,
    /** The same versions are stored already: a redelivery or replay. */
    DUPLICATE,
    /** Newer state of the same incarnation is stored (in at least one owning topic's version): the write was skipped. */
    STALE,
    /**
     * State of another incarnation of a topic is stored, and the writer keeps it
     * ({@link dev.mtp.common.version.VersionRule.OtherIncarnations#KEEP}): the write was skipped (docs/decisions/0012).
     */
    OTHER_INCARNATION
}
