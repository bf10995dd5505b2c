package dev.mtp.common.version;

/**
 * The one comparison every writer uses (cache-writer, the ingest fast path, the reconciler's
 * repairs, mongo-writer's guarded upserts), so the paths commute. Redis scripts and MongoDB
 * filters implement the same comparison server side: {@code incoming > stored}.
 */
public final class VersionRule {
    private VersionRule() {}

    /** Newer wins; equal is a duplicate and is skipped; older is stale and is skipped. */
    public static boolean supersedes(long incomingOffset, long storedOffset) {
        return incomingOffset > storedOffset;
    }

    public static Decision decide(long incomingOffset, long storedOffset) {
        if (incomingOffset > storedOffset) {
            return Decision.APPLY;
        }
        return incomingOffset == storedOffset ? Decision.DUPLICATE : Decision.STALE;
    }

    public enum Decision { APPLY, DUPLICATE, STALE }
}
