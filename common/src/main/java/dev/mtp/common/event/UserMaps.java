package dev.mtp.common.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * User maps (context, metadata, evaluation data) are kept as given, unmodifiable. Their limits
 * (size, depth, key rules) are checked at the edge; how '.' and '$' keys are stored is each sink's job.
 */
final class UserMaps {
    private UserMaps() {}

    static Map<String, Object> copyOf(Map<String, Object> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static Map<String, Object> copyOfNullable(Map<String, Object> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
