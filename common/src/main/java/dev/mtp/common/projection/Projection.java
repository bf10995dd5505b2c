package dev.mtp.common.projection;

import dev.mtp.common.strategy.CacheStrategy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one cache key holds: the fields its strategy asks for (absent values are left out), and when the key
 * expires. The expiry is absolute and derived from the event time (the strategy's TTL after the last event that
 * touched the entity), so every writer computes the same expiry for the same state, and an entry whose TTL has
 * passed is not cached at all. Instants (values and expiry) are kept to the millisecond, the precision of the cache.
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
        expireAt = expireAt.truncatedTo(ChronoUnit.MILLIS);
        Map<F, Object> copy = fields.isEmpty() ? Map.of() : new EnumMap<>(fields);
        for (Map.Entry<F, Object> e : copy.entrySet()) {
            if (!strategy.fields().contains(e.getKey())) {
                throw new IllegalArgumentException(e.getKey() + " is not a field of " + strategy.name());
            }
            if (e.getValue() instanceof Instant instant) {
                e.setValue(instant.truncatedTo(ChronoUnit.MILLIS));
            }
        }
        fields = Collections.unmodifiableMap(copy);
    }

    public Object get(F field) {
        return fields.get(field);
    }
}
