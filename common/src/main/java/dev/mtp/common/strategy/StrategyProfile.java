package dev.mtp.common.strategy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The seed's environment-specific default strategies ("Environment-Specific Strategies"). A profile only supplies
 * defaults: an explicit strategy on a request wins, and so does {@code app.persistence.default-*} in configuration
 * ({@link StrategyDefaults}).
 */
public enum StrategyProfile {
    /** Full debugging, complete data access. */
    DEVELOPMENT(SessionCacheStrategy.FULL_SESSION, InteractionCacheStrategy.WITH_CONTEXT),
    /** Balanced performance, optimized memory. */
    PRODUCTION(SessionCacheStrategy.WITH_CONTEXT, InteractionCacheStrategy.RESPONSE_ONLY),
    /** MongoDB focus, complex queries: nothing cached unless a request asks for it. */
    ANALYTICS(SessionCacheStrategy.NONE, InteractionCacheStrategy.NONE);

    private final SessionCacheStrategy sessionStrategy;
    private final InteractionCacheStrategy interactionStrategy;

    StrategyProfile(SessionCacheStrategy sessionStrategy, InteractionCacheStrategy interactionStrategy) {
        this.sessionStrategy = sessionStrategy;
        this.interactionStrategy = interactionStrategy;
    }

    public SessionCacheStrategy sessionStrategy() { return sessionStrategy; }
    public InteractionCacheStrategy interactionStrategy() { return interactionStrategy; }

    /** The name configuration and answers use: {@code development}, {@code production}, {@code analytics}. */
    public String configName() { return name().toLowerCase(Locale.ROOT); }

    public static String[] configNames() {
        return Arrays.stream(values()).map(StrategyProfile::configName).toArray(String[]::new);
    }

    /** The profile whose strategies are exactly this pair, if one is. */
    public static Optional<StrategyProfile> matching(SessionCacheStrategy session,
                                                   InteractionCacheStrategy interaction) {
        return Arrays.stream(values())
                .filter(p -> p.sessionStrategy == session && p.interactionStrategy == interaction).findFirst();
    }

    /** Parses a configuration name exactly; an unknown one is an error listing the valid names. */
    public static StrategyProfile fromConfigName(String name) {
        for (StrategyProfile profile : values()) {
            if (profile.configName().equals(name)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a profile; valid: "
                + Arrays.stream(values()).map(StrategyProfile::configName).collect(Collectors.joining(", ")));
    }
}
