package dev.mtp.common.strategy;

/**
 * The seed's environment-specific default strategies. A profile only supplies defaults;
 * an explicit strategy on a request or in configuration always wins.
 */
public enum StrategyProfile {
    DEVELOPMENT(SessionCacheStrategy.FULL_SESSION, InteractionCacheStrategy.WITH_CONTEXT),
    PRODUCTION(SessionCacheStrategy.WITH_CONTEXT, InteractionCacheStrategy.RESPONSE_ONLY),
    ANALYTICS(SessionCacheStrategy.NONE, InteractionCacheStrategy.NONE);

    private final SessionCacheStrategy sessionStrategy;
    private final InteractionCacheStrategy interactionStrategy;

    StrategyProfile(SessionCacheStrategy sessionStrategy, InteractionCacheStrategy interactionStrategy) {
        this.sessionStrategy = sessionStrategy;
        this.interactionStrategy = interactionStrategy;
    }

    public SessionCacheStrategy sessionStrategy() { return sessionStrategy; }
    public InteractionCacheStrategy interactionStrategy() { return interactionStrategy; }
}
