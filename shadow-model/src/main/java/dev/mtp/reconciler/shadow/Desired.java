package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.VersionVector;

import java.util.Objects;

/**
 * What one cache key should hold, as the events folded so far say.
 *
 * @param presence    whether a value is wanted, and if not, why
 * @param strategy    the strategy's name ({@code NONE} for {@link Presence#NONE}, {@code -} when unknown or deleted)
 * @param versions    the versions the value (or its removal) is at: [sessions, interactions] for a session key,
 *                    [interactions] for an interaction or latest-response key
 * @param expireAt    absolute expiry, epoch ms ({@link Presence#PRESENT} only, else 0): a key that expired on schedule
 *                    is never brought back
 * @param contentHash hash of the exact bytes cache-store's codec writes for the value, with the cache's settings
 *                    ({@link Presence#PRESENT} only, else 0): a check compares it with the bytes Redis holds
 */
public record Desired(Presence presence, String strategy, VersionVector versions, long expireAt, long contentHash) {

    /** Whether the key should hold a value, and if not, why. */
    public enum Presence {
        /** The value of the key's strategy, until {@code expireAt}. */
        PRESENT,
        /** Strategy NONE: nothing cached. */
        NONE,
        /** The session was deleted: nothing of it is cached. */
        DELETED,
        /** No {@code session.created} seen yet: nothing to write, nothing to check. */
        UNKNOWN
    }

    public Desired {
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(versions, "versions");
        if (presence != Presence.PRESENT && (expireAt != 0 || contentHash != 0)) {
            throw new IllegalArgumentException("only a present value has an expiry and content");
        }
    }

    public static Desired absent(Presence why, String strategy, VersionVector versions) {
        if (why == Presence.PRESENT) {
            throw new IllegalArgumentException("absent, not present");
        }
        return new Desired(why, strategy, versions, 0, 0);
    }

    /** A value is wanted at {@code nowMs}: present and not yet expired. */
    public boolean wantsValueAt(long nowMs) {
        return presence == Presence.PRESENT && expireAt > nowMs;
    }

    /** Whether a check means anything: there is a desired state (present or removed). */
    public boolean checkable() {
        return presence != Presence.UNKNOWN;
    }
}
