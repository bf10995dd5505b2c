package dev.mtp.common.strategy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Strict parsing of strategy names: exact constant names, never a silent fallback. */
public final class CacheStrategies {

    private CacheStrategies() {}

    public static <E extends Enum<E>> E parse(Class<E> type, String name) {
        if (name == null || name.isBlank()) {
            throw new UnknownStrategyException(type, name);
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new UnknownStrategyException(type, name);
    }

    /** The valid names of a strategy type, comma separated, in declaration order. */
    public static String validNames(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }

    public static final class UnknownStrategyException extends IllegalArgumentException {
        private final String valid;

        UnknownStrategyException(Class<? extends Enum<?>> type, String name) {
            super("'" + name + "' is not " + label(type) + "; valid: " + CacheStrategies.validNames(type));
            this.valid = CacheStrategies.validNames(type);
        }

        /** The valid names, comma separated, for error bodies that list them. */
        public String validNames() { return valid; }

        private static String label(Class<?> type) {
            return type == SessionCacheStrategy.class ? "a session cache strategy" : "an interaction cache strategy";
        }
    }
}
