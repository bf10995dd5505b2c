package dev.mtp.common.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;

/**
 * The four rungs both strategy ladders share (seed: "Session/Interaction Cache Strategies"): each rung caches a
 * superset of the fields of the one below, for a shorter time. The decision tree answers in rungs; a rung is a
 * session strategy and an interaction strategy.
 */
public enum CachingLevel {
    NONE(SessionCacheStrategy.NONE, InteractionCacheStrategy.NONE),
    /** The essentials: a session's status and ids, an interaction's response. */
    CRITICAL_ONLY(SessionCacheStrategy.CRITICAL_ONLY, InteractionCacheStrategy.RESPONSE_ONLY),
    WITH_CONTEXT(SessionCacheStrategy.WITH_CONTEXT, InteractionCacheStrategy.WITH_CONTEXT),
    /** The seed's "FULL Strategy": everything. */
    FULL(SessionCacheStrategy.FULL_SESSION, InteractionCacheStrategy.FULL_INTERACTION);

    private final SessionCacheStrategy session;
    private final InteractionCacheStrategy interaction;

    CachingLevel(SessionCacheStrategy session, InteractionCacheStrategy interaction) {
        this.session = session;
        this.interaction = interaction;
    }

    public SessionCacheStrategy session() { return session; }
    public InteractionCacheStrategy interaction() { return interaction; }

    public CacheStrategy<?> strategy(EntityType entity) {
        return entity == EntityType.SESSION ? session : interaction;
    }

    /** The rung of a session or interaction strategy (the strategies are declared in rung order). */
    public static CachingLevel of(CacheStrategy<?> strategy) {
        return values()[((Enum<?>) strategy).ordinal()];
    }

    public boolean covers(CachingLevel needed) {
        return ordinal() >= needed.ordinal();
    }
}
