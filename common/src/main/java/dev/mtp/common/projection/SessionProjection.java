package dev.mtp.common.projection;

import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.SessionField;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The session key's value for a state: the fields of the session's strategy (seed: "Session Cache Strategies"),
 * or nothing when the session is not live or its strategy is NONE. The key expires the strategy's TTL after the
 * last event of either topic that touched the session ({@link SessionState#lastEventAt()}).
 */
public final class SessionProjection {

    private SessionProjection() {}

    public static Optional<Projection<SessionField>> of(SessionState state) {
        if (!state.isLive() || !state.strategy().caches()) {
            return Optional.empty();
        }
        SessionCacheStrategy strategy = state.strategy();
        Map<SessionField, Object> fields = new EnumMap<>(SessionField.class);
        for (SessionField field : strategy.fields()) {
            Object value = value(state, field);
            if (value != null) {
                fields.put(field, value);
            }
        }
        Instant expireAt = state.lastEventAt().orElseThrow().plus(strategy.ttl().orElseThrow());
        return Optional.of(new Projection<>(strategy, fields, expireAt));
    }

    private static Object value(SessionState s, SessionField field) {
        return switch (field) {
            case SESSION_ID -> s.sessionId();
            case USER_ID -> s.userId();
            case STATUS -> s.status();
            case CREATED_AT -> s.createdAt();
            case UPDATED_AT -> s.updatedAt();
            case LAST_ACTIVITY_AT -> s.lastActivityAt();
            case CONTEXT -> s.context();
            case INTERACTION_COUNT -> s.interactionCount();
            case METADATA -> s.metadata();
            case LAST_INTERACTION_ID -> s.lastInteractionId();
            case CACHE_STRATEGY -> s.strategy().name();
        };
    }
}
