package dev.mtp.common.projection;

import dev.mtp.common.strategy.CacheStrategy;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one cache key holds: the fields its strategy asks for (absent values are left out), and when the key
 * expires. The expiry is absolute and derived from the event time (the strategy's TTL after the last event that
 * touched the entity), so every writer computes the same expiry for the same state, and an entry whose TTL has
 * passed is not cached at all.
 *
 * @param strategy the caching strategy (never NONE)
 * @param fields   field to value: String, Instant, Long or a user map
 * @param expireAt when the key must be gone
 */
public record Projection<F extends Enum<F>>(CacheStrategy<F> strategy, Map<F, Object> fields, Instant expireAt) {

    public Projection {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(expireAt, "expireAt");
        if (!strategy.caches()) {
            throw new IllegalArgumentException("strategy " + strategy.name() + " caches nothing");
        }
        fields = Collections.unmodifiableMap(fields.isEmpty() ? fields : new EnumMap<>(fields));
        for (F field : fields.keySet()) {
            if (!strategy.fields().contains(field)) {
                throw new IllegalArgumentException(field + " is not a field of " + strategy.name());
            }
        }
    }

    public Object get(F field) {
        return fields.get(field);
    }
}
