package dev.mtp.cachestore;

import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;

import java.util.Arrays;

/**
 * The versions a cached value was built from, one per owning topic (docs/decisions/0001, 0012): a session key holds
 * {@code [sessions version, interactions version]}, an interaction or latest-response key {@code [interactions
 * version]}. Each component is an offset in one incarnation of its topic; {@link Version#NONE} means no event of that
 * topic yet.
 *
 * <p>A write applies only if it {@linkplain #decide supersedes} what is stored. Each component is decided by
 * {@link VersionRule#decide} with the writer's {@link OtherIncarnations}, and the components combine so that no write
 * takes any component back:
 * <ol>
 *   <li>a component stale within its incarnation makes the write {@code STALE}, even when another component is newer
 *       or supersedes another incarnation: writing it would take that component back;</li>
 *   <li>else a component of another incarnation that the writer keeps ({@code KEEP}) makes it
 *       {@code OTHER_INCARNATION};</li>
 *   <li>else a component that applies (greater, or superseding another incarnation) makes it {@code APPLY};</li>
 *   <li>else (equal everywhere) it is a {@code DUPLICATE}.</li>
 * </ol>
 * The Lua guard ({@code prelude.lua}) implements the same rule; a writer that knows only part of a session's state
 * (the ingest fast path) simply loses such races, and the writer with the full state (cache-writer) wins them later.
 */
public final class VersionVector {

    private final Version[] versions;

    private VersionVector(Version[] versions) {
        this.versions = versions;
    }

    public static VersionVector of(Version... versions) {
        if (versions.length == 0) {
            throw new IllegalArgumentException("a version vector has at least one component");
        }
        for (Version v : versions) {
            if (v == null) {
                throw new IllegalArgumentException("a version vector's components are versions, not null");
            }
        }
        return new VersionVector(versions.clone());
    }

    /** The session key's versions. */
    public static VersionVector session(Version sessions, Version interactions) {
        return of(sessions, interactions);
    }

    /**
     * Parses the form in a value's header: {@code 12.AbCdEfGh,-1.IjKlMnOp}. A component without a tag ({@code 12}) was
     * written before incarnations were recorded and is read with {@link Incarnation#UNKNOWN}; {@code -1.<tag>} is
     * "no event yet in that incarnation" ({@link Version#noneIn}).
     */
    public static VersionVector parse(String text) {
        String[] parts = text.split(",", -1);
        Version[] versions = new Version[parts.length];
        for (int i = 0; i < parts.length; i++) {
            versions[i] = component(parts[i], text);
        }
        return of(versions);
    }

    private static Version component(String part, String text) {
        try {
            return Version.parse(part);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a version vector: '" + text + "' (" + e.getMessage() + ")");
        }
    }

    public int size() {
        return versions.length;
    }

    public Version get(int index) {
        return versions[index];
    }

    /**
     * Whether a write at {@code this} applies over {@code stored} (null: nothing stored, or a value not of this
     * layout; a vector of another size is of another layout too).
     */
    public Decision decide(VersionVector stored, OtherIncarnations others) {
        if (stored == null || stored.versions.length != versions.length) {
            return Decision.APPLY;
        }
        boolean otherIncarnation = false;
        boolean applies = false;
        for (int i = 0; i < versions.length; i++) {
            switch (VersionRule.decide(versions[i], stored.versions[i], others)) {
                case STALE -> {
                    return Decision.STALE;
                }
                case OTHER_INCARNATION -> otherIncarnation = true;
                case APPLY -> applies = true;
                case DUPLICATE -> { }
            }
        }
        if (otherIncarnation) {
            return Decision.OTHER_INCARNATION;
        }
        return applies ? Decision.APPLY : Decision.DUPLICATE;
    }

    /** True when a write at {@code this} that applies over {@code stored} replaces a component of another incarnation. */
    public boolean crossesIncarnation(VersionVector stored) {
        if (stored == null || stored.versions.length != versions.length) {
            return false;
        }
        for (int i = 0; i < versions.length; i++) {
            if (VersionRule.crossesIncarnation(versions[i], stored.versions[i])) {
                return true;
            }
        }
        return false;
    }

    /** {@code 12.AbCdEfGh,-1}: the header form. */
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
