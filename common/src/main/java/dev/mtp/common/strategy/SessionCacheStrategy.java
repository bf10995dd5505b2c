package dev.mtp.common.strategy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static dev.mtp.common.strategy.SessionField.*;

/**
 * How much of a session lives in Redis, and for how long (seed: "Session Cache Strategies").
 * The TTLs and field sets are part of the spec; the byte figures are the seed's memory targets.
 */
public enum SessionCacheStrategy implements CacheStrategy<SessionField> {
    /** Archival or completed sessions: MongoDB only, any cached copy is removed. */
    NONE(null, EnumSet.noneOf(SessionField.class), 0),
    /** Active sessions, fast status checks: status, ids and timestamps. */
    CRITICAL_ONLY(Duration.ofHours(1),
            EnumSet.of(SESSION_ID, USER_ID, STATUS, CREATED_AT, UPDATED_AT, LAST_ACTIVITY_AT), 200),
    /** Active conversations that read their context often: adds context and interaction count. */
    WITH_CONTEXT(Duration.ofMinutes(30),
            EnumSet.of(SESSION_ID, USER_ID, STATUS, CREATED_AT, UPDATED_AT, LAST_ACTIVITY_AT,
                    CONTEXT, INTERACTION_COUNT), 800),
    /** Highly active sessions: the complete session. */
    FULL_SESSION(Duration.ofMinutes(15), EnumSet.allOf(SessionField.class), 1_500);

    private final Duration ttl;
    private final Set<SessionField> fields;
    private final int targetBytes;

    SessionCacheStrategy(Duration ttl, EnumSet<SessionField> fields, int targetBytes) {
        this.ttl = ttl;
        this.fields = java.util.Collections.unmodifiableSet(fields);
        this.targetBytes = targetBytes;
    }

    @Override public Optional<Duration> ttl() { return Optional.ofNullable(ttl); }
    @Override public Set<SessionField> fields() { return fields; }
    @Override public int targetBytes() { return targetBytes; }
    @Override public boolean caches() { return this != NONE; }

    /** Parses a strategy name exactly as documented; an unknown name is an error listing the valid ones. */
    public static SessionCacheStrategy parse(String name) {
        return CacheStrategies.parse(SessionCacheStrategy.class, name);
    }
}
