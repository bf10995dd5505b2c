package dev.mtp.mongowriter;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Events shaped like the seed's examples, each one second after the previous one (so times are ordered). */
final class Events {
    private Instant clock = Instant.parse("2026-11-25T10:00:00Z");

    /** Moves the clock, e.g. back, for an event that was accepted earlier but arrives late. */
    Events at(Instant instant) {
        clock = instant;
        return this;
    }

    Instant now() {
        return clock;
    }

    Instant next() {
        clock = clock.plus(Duration.ofSeconds(1));
        return clock;
    }

    EventEnvelope created(String sessionId, String userId, Map<String, Object> context, Map<String, Object> metadata) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, sessionId, "WITH_CONTEXT", next(), "test",
                new SessionCreated(userId, "active", context, metadata));
    }

    EventEnvelope created(String sessionId) {
        return created(sessionId, "user-456", Map.of("currentTopic", "product_inquiry"), Map.of("source", "web_chat"));
    }

    EventEnvelope updated(String sessionId, String status, Map<String, Object> context, Map<String, Object> metadata) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, sessionId, null, next(), "test",
                new SessionUpdated(null, status, context, metadata));
    }

    EventEnvelope closed(String sessionId) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, sessionId, null, next(), "test",
                new SessionClosed("user left"));
    }

    EventEnvelope deleted(String sessionId) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, sessionId, null, next(), "test",
                new SessionDeleted("erasure request"));
    }

    EventEnvelope interaction(String sessionId, String interactionId, String response) {
        return interaction(sessionId, interactionId, response, Map.of("intent", "product_info"));
    }

    EventEnvelope interaction(String sessionId, String interactionId, String response, Map<String, Object> context) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, interactionId, "RESPONSE_ONLY", next(), "test",
                new InteractionRecorded("assistant", "What are your product features?", response, context,
                        Map.of(), 150L));
    }

    EventEnvelope evaluation(String sessionId, String entityId, EntityType type, Map<String, Object> data) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, entityId, null, next(), "test",
                new EvaluationRecorded(type, data));
    }
}
