package dev.mtp.cachestore;

import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value read back from the cache: the fields it holds (exactly the {@link dev.mtp.common.projection.Projection}
 * fields that were written, timestamps as {@link java.time.Instant} to the millisecond), its strategy and the
 * versions it was built from.
 *
 * @param storedBytes the value's length in Redis (header and possibly compressed body)
 */
public record CachedValue<F extends Enum<F>>(CacheKeys.Kind kind, CacheStrategy<F> strategy, VersionVector versions,
                                             Map<F, Object> fields, boolean compressed, int storedBytes) {

    public CachedValue {
        fields = Collections.unmodifiableMap(fields.isEmpty() ? Map.of() : new EnumMap<>(fields));
    }

    public Object get(F field) {
        return fields.get(field);
    }

    /**
     * The fields under their documented names ({@link SessionField#jsonName()}, {@link InteractionField#jsonName()}),
     * in declaration order: what a read endpoint answers. Serialize with {@code Json.mapper()}.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        fields.forEach((field, value) -> json.put(jsonName(field), value));
        return json;
    }

    private static String jsonName(Enum<?> field) {
        return switch (field) {
            case SessionField f -> f.jsonName();
            case InteractionField f -> f.jsonName();
            default -> field.name();
        };
    }
}
