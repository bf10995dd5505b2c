package dev.mtp.common.usage;

/** What answered a read, and for a MongoDB fallback why Redis did not. */
public enum ReadOutcome {
    REDIS_HIT,
    /** The key's TTL had run out since its last write. */
    MONGODB_EXPIRED,
    /** The strategy is NONE: never cached. */
    MONGODB_NEVER_CACHED,
    /** The key should still have been alive: evicted, lost (FLUSHALL, restart), not written yet, or Redis failed. */
    MONGODB_EVICTED_OR_LOST,
    NOT_FOUND;

    public boolean fromMongo() {
        return this == MONGODB_EXPIRED || this == MONGODB_NEVER_CACHED || this == MONGODB_EVICTED_OR_LOST;
    }

    /** Why Redis did not answer, from the strategy and the time since the entity's last write. */
    public static ReadOutcome fallback(boolean strategyCaches, double ttlSeconds, double secondsSinceWrite) {
        if (!strategyCaches) {
            return MONGODB_NEVER_CACHED;
        }
        return secondsSinceWrite > ttlSeconds ? MONGODB_EXPIRED : MONGODB_EVICTED_OR_LOST;
    }
}
