package dev.mtp.common.usage;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The seed's "Pattern-Based Strategy Selection": a usage pattern and the strategy pair it calls for. */
public enum PatternType {
    HIGH_FREQUENCY("High Frequency", CachingLevel.WITH_CONTEXT, CachingLevel.CRITICAL_ONLY,
            "balances performance with memory usage"),
    REAL_TIME("Real Time", CachingLevel.FULL, CachingLevel.FULL, "maximum performance for immediate access"),
    ANALYTICAL("Analytical", CachingLevel.CRITICAL_ONLY, CachingLevel.NONE, "focus on MongoDB for complex queries"),
    ARCHIVAL("Archival", CachingLevel.NONE, CachingLevel.NONE, "no caching needed for historical data");

    private final String label;
    private final CachingLevel sessionLevel;
    private final CachingLevel interactionLevel;
    private final String rationale;

    PatternType(String label, CachingLevel sessionLevel, CachingLevel interactionLevel, String rationale) {
        this.label = label;
        this.sessionLevel = sessionLevel;
        this.interactionLevel = interactionLevel;
        this.rationale = rationale;
    }

    /** The seed's name, e.g. "High Frequency". */
    public String label() { return label; }
    public CachingLevel sessionLevel() { return sessionLevel; }
    public CachingLevel interactionLevel() { return interactionLevel; }
    /** The seed's reason for the pair. */
    public String rationale() { return rationale; }

    public static String validNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Exact constant names (HIGH_FREQUENCY, ...); anything else is an error listing them. */
    public static PatternType parse(String name) {
        for (PatternType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a pattern type; valid: " + validNames());
    }
}
