package dev.mtp.testkit;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Events shaped like the seed's usage examples, of any session at chosen times. */
public final class Events {
    private static final Map<String, Object> SEED_CONTEXT = Map.of("currentTopic", "product_inquiry");
    private static final Map<String, Object> SEED_METADATA = Map.of("source", "web_chat");

    private Events() {}

    public static EventEnvelope created(String session, String strategy, Instant at) {
        return created(session, strategy, at, "user-456", SEED_CONTEXT, SEED_METADATA);
    }

    public static EventEnvelope created(String session, String strategy, Instant at, String userId,
                                        Map<String, Object> context, Map<String, Object> metadata) {
        return envelope(session, session, strategy, at, new SessionCreated(userId, "active", context, metadata));
    }

    /** A status change that also moves the topic on to pricing. */
    public static EventEnvelope updated(String session, String strategy, Instant at, String status) {
        return updated(session, strategy, at, new SessionUpdated(null, status, Map.of("currentTopic", "pricing"), null));
    }

    public static EventEnvelope updated(String session, String strategy, Instant at, SessionUpdated update) {
        return envelope(session, session, strategy, at, update);
    }

    public static EventEnvelope closed(String session, Instant at) {
        return envelope(session, session, null, at, new SessionClosed("user left"));
    }

    public static EventEnvelope deleted(String session, Instant at) {
        return envelope(session, session, null, at, new SessionDeleted("erasure request"));
    }

    /** An interaction whose response names it, so that a test can tell interactions apart by value. */
    public static EventEnvelope interaction(String session, String id, String strategy, Instant at) {
        return interaction(session, id, strategy, at, "Our product offers... (" + id + ")",
                Map.of("intent", "product_info"), Map.of("model", "m1"));
    }

    public static EventEnvelope interaction(String session, String id, String strategy, Instant at, String response,
                                            Map<String, Object> context, Map<String, Object> metadata) {
        return envelope(session, id, strategy, at, new InteractionRecorded("assistant",
                "What are your product features?", response, context, metadata, 150L));
    }

    public static EventEnvelope evaluation(String session, String entityId, EntityType type, Instant at,
                                           Map<String, Object> data) {
        return envelope(session, entityId, null, at, new EvaluationRecorded(type, data));
    }

    private static EventEnvelope envelope(String session, String entity, String strategy, Instant at,
                                          EventPayload payload) {
        return EventEnvelope.of(UUID.randomUUID(), session, entity, strategy, at, "test", payload);
    }

    /**
     * The same events on a clock that moves one second per event, so that times are ordered without a test naming
     * them; sessions are created WITH_CONTEXT, interactions are RESPONSE_ONLY, updates keep the strategy.
     */
    public static final class Clocked {
        private Instant clock = Instant.parse("2026-11-25T10:00:00Z");

        /** Moves the clock, e.g. back, for an event that was accepted earlier but arrives late. */
        public Clocked at(Instant instant) {
            clock = instant;
            return this;
        }

        public Instant now() {
            return clock;
        }

        public Instant next() {
            clock = clock.plus(Duration.ofSeconds(1));
            return clock;
        }

        public EventEnvelope created(String sessionId) {
            return Events.created(sessionId, "WITH_CONTEXT", next());
        }

        public EventEnvelope created(String sessionId, String userId, Map<String, Object> context,
                                     Map<String, Object> metadata) {
            return Events.created(sessionId, "WITH_CONTEXT", next(), userId, context, metadata);
        }

        public EventEnvelope updated(String sessionId, String status, Map<String, Object> context,
                                     Map<String, Object> metadata) {
            return Events.updated(sessionId, null, next(), new SessionUpdated(null, status, context, metadata));
        }

        public EventEnvelope closed(String sessionId) {
            return Events.closed(sessionId, next());
        }

        public EventEnvelope deleted(String sessionId) {
            return Events.deleted(sessionId, next());
        }

        public EventEnvelope interaction(String sessionId, String interactionId, String response) {
            return interaction(sessionId, interactionId, response, Map.of("intent", "product_info"));
        }

        public EventEnvelope interaction(String sessionId, String interactionId, String response,
                                         Map<String, Object> context) {
            return Events.interaction(sessionId, interactionId, "RESPONSE_ONLY", next(), response, context, Map.of());
        }

        public EventEnvelope evaluation(String sessionId, String entityId, EntityType type, Map<String, Object> data) {
            return Events.evaluation(sessionId, entityId, type, next(), data);
        }
    }
}
