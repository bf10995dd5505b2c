package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.CacheStrategies.UnknownStrategyException;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The one envelope of every persistence event (design.md section 3). Records are keyed by
 * {@link #sessionId()} on every topic, so a session's events stay ordered and co-partitioned.
 *
 * @param eventId       idempotency key, unique per event
 * @param type          what happened; decides the payload record and the topic
 * @param schemaVersion version of this contract; additive changes only within a version
 * @param sessionId     the session the event belongs to (the record key)
 * @param entityId      the entity changed: the session id, the interaction id, or the evaluated entity's id
 * @param cacheStrategy strategy name for session and interaction events; absent on an update means unchanged
 * @param occurredAt    when the ingest accepted the request
 * @param producer      who published it, e.g. "ingest-api@host"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(
        UUID eventId,
        EventType type,
        int schemaVersion,
        String sessionId,
        String entityId,
        String cacheStrategy,
        Instant occurredAt,
        String producer,
        EventPayload payload) {

    public static final int SCHEMA_VERSION = 1;

    public EventEnvelope {
        require("eventId", eventId);
        require("type", type);
        if (schemaVersion != SCHEMA_VERSION) {
            throw new InvalidEventException("schemaVersion", "must be " + SCHEMA_VERSION + ", was " + schemaVersion);
        }
        Ids.require("sessionId", sessionId);
        Ids.require("entityId", entityId);
        require("occurredAt", occurredAt);
        if (producer == null || producer.isBlank()) {
            throw new InvalidEventException("producer", "is required");
        }
        require("payload", payload);
        if (!type.payloadType().isInstance(payload)) {
            throw new InvalidEventException("payload", "does not match type " + type.wireName());
        }
        if (type.topic() == TopicRole.SESSIONS && !sessionId.equals(entityId)) {
            throw new InvalidEventException("entityId", "must equal sessionId for " + type.wireName());
        }
        checkStrategy(type, cacheStrategy);
    }

    /** A new event of the current schema version; the type follows from the payload. */
    public static EventEnvelope of(UUID eventId, String sessionId, String entityId, String cacheStrategy,
                                   Instant occurredAt, String producer, EventPayload payload) {
        return new EventEnvelope(eventId, EventType.of(payload), SCHEMA_VERSION, sessionId, entityId,
                cacheStrategy, occurredAt, producer, payload);
    }

    @JsonIgnore
    public Optional<SessionCacheStrategy> sessionStrategy() {
        return type.cachedEntity() == EntityType.SESSION && cacheStrategy != null
                ? Optional.of(SessionCacheStrategy.parse(cacheStrategy)) : Optional.empty();
    }

    @JsonIgnore
    public Optional<InteractionCacheStrategy> interactionStrategy() {
        return type.cachedEntity() == EntityType.INTERACTION && cacheStrategy != null
                ? Optional.of(InteractionCacheStrategy.parse(cacheStrategy)) : Optional.empty();
    }

    private static void checkStrategy(EventType type, String strategy) {
        EntityType cached = type.cachedEntity();
        if (cached == null) {
            if (strategy != null) {
                throw new InvalidEventException("cacheStrategy", "must be absent for " + type.wireName());
            }
            return;
        }
        if (strategy == null) {
            if (type == EventType.SESSION_CREATED || type == EventType.INTERACTION_RECORDED) {
                throw new InvalidEventException("cacheStrategy", "is required for " + type.wireName());
            }
            return;
        }
        try {
            if (cached == EntityType.SESSION) {
                SessionCacheStrategy.parse(strategy);
            } else {
                InteractionCacheStrategy.parse(strategy);
            }
        } catch (UnknownStrategyException e) {
            throw new InvalidEventException("cacheStrategy", e.getMessage());
        }
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new InvalidEventException(field, "is required");
        }
    }
}
