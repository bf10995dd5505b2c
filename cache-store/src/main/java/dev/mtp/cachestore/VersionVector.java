package dev.mtp.cachestore;

import dev.mtp.common.version.EventVersion;
import dev.mtp.common.version.VersionRule.Decision;

import java.util.Arrays;

/**
 * The versions a cached value was built from, one per owning topic (docs/decisions/0001): a session key holds
 * {@code [sessions offset, interactions offset]}, an interaction or latest-response key {@code [interactions offset]}.
 * -1 means no event of that topic yet.
 *
 * <p>A write applies only if it {@linkplain #decide supersedes} what is stored: every component greater than or equal
 * and at least one greater. Equal everywhere is a duplicate. Anything else is stale (older in some component), even
 * when another component is newer: writing it would take that component back. The Lua scripts implement the same
 * rule; a writer that knows only part of a session's state (the ingest fast path) simply loses such races, and the
 * writer with the full state (cache-writer) wins them later.
 */
public final class VersionVector {

    private final long[] versions;

    private VersionVector(long[] versions) {
        this.versions = versions;
    }

    public static VersionVector of(long... versions) {
        if (versions.length == 0) {
            throw new IllegalArgumentException("a version vector has at least one component");
        }
        for (long v : versions) {
            if (v < EventVersion.NONE) {
                throw new IllegalArgumentException("versions are offsets or -1, not " + v);
            }
        }
        return new VersionVector(versions.clone());
    }

    /** The session key's versions. */
    public static VersionVector session(long sessionsOffset, long interactionsOffset) {
        return of(sessionsOffset, interactionsOffset);
    }

    /** Parses {@code 12,7}: the form in a value's header. */
    public static VersionVector parse(String text) {
        String[] parts = text.split(",", -1);
        long[] versions = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                versions[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a version vector: '" + text + "'");
            }
        }
        return of(versions);
    }

    public int size() {
        return versions.length;
    }

    public long get(int index) {
        return versions[index];
    }

    /** Whether a write at {@code this} applies over {@code stored} (null: nothing stored). */
    public Decision decide(VersionVector stored) {
        if (stored == null || stored.versions.length != versions.length) {
            return Decision.APPLY;
        }
        boolean greater = false;
        for (int i = 0; i < versions.length; i++) {
            if (versions[i] < stored.versions[i]) {
                return Decision.STALE;
            }
            greater |= versions[i] > stored.versions[i];
        }
        return greater ? Decision.APPLY : Decision.DUPLICATE;
    }

    /** {@code 12,7} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < versions.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(versions[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector other && Arrays.equals(versions, other.versions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(versions);
    }
}
