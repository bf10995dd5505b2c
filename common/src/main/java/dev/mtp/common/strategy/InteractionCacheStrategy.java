package dev.mtp.common.strategy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static dev.mtp.common.strategy.InteractionField.*;

/**
 * How much of an interaction lives in Redis, and for how long (seed: "Interaction Cache Strategies").
 */
public enum InteractionCacheStrategy implements CacheStrategy<InteractionField> {
    /** Historical interactions: MongoDB only, any cached copy is removed. */
    NONE(null, EnumSet.noneOf(InteractionField.class), 0),
    /** Recent interactions, quick response retrieval: response and timestamp. */
    RESPONSE_ONLY(Duration.ofMinutes(30),
            EnumSet.of(INTERACTION_ID, SESSION_ID, RESPONSE, RECORDED_AT), 500),
    /** Active conversations that need context: adds request and context. */
    WITH_CONTEXT(Duration.ofMinutes(15),
            EnumSet.of(INTERACTION_ID, SESSION_ID, RESPONSE, RECORDED_AT, REQUEST, CONTEXT), 800),
    /** The interaction being processed: complete. */
    FULL_INTERACTION(Duration.ofMinutes(5), EnumSet.allOf(InteractionField.class), 2_000);

    private final Duration ttl;
    private final Set<InteractionField> fields;
    private final int targetBytes;

    InteractionCacheStrategy(Duration ttl, EnumSet<InteractionField> fields, int targetBytes) {
        this.ttl = ttl;
        this.fields = java.util.Collections.unmodifiableSet(fields);
        this.targetBytes = targetBytes;
    }

    @Override public Optional<Duration> ttl() { return Optional.ofNullable(ttl); }
    @Override public Set<InteractionField> fields() { return fields; }
    @Override public int targetBytes() { return targetBytes; }
    @Override public boolean caches() { return this != NONE; }

    public static InteractionCacheStrategy parse(String name) {
        return CacheStrategies.parse(InteractionCacheStrategy.class, name);
    }
}
