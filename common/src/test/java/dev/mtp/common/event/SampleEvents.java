package dev.mtp.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One valid event of each type, shaped like the seed's usage examples. */
public final class SampleEvents {
    public static final Instant AT = Instant.parse("2026-11-25T10:15:30Z");
    public static final String PRODUCER = "ingest-api@test";
    public static final String SESSION = "session-123";

    private SampleEvents() {}

    public static EventEnvelope sessionCreated() {
        return EventEnvelope.of(UUID.randomUUID(), "session-123", "session-123", "WITH_CONTEXT", AT, PRODUCER,
                new SessionCreated("user-456", "active",
                        Map.of("currentTopic", "product_inquiry"), Map.of("source", "web_chat")));
    }

    public static EventEnvelope sessionUpdated() {
        return EventEnvelope.of(UUID.randomUUID(), "session-123", "session-123", "FULL_SESSION", AT, PRODUCER,
                new SessionUpdated(null, "idle", Map.of("currentTopic", "pricing"), null));
    }

    public static EventEnvelope sessionClosed() {
        return EventEnvelope.of(UUID.randomUUID(), "session-123", "session-123", null, AT, PRODUCER,
                new SessionClosed("user left"));
    }

    public static EventEnvelope sessionDeleted() {
        return EventEnvelope.of(UUID.randomUUID(), "session-123", "session-123", null, AT, PRODUCER,
                new SessionDeleted("erasure request"));
    }

    public static EventEnvelope interactionRecorded() {
        return EventEnvelope.of(UUID.randomUUID(), "session-123", "int-789", "RESPONSE_ONLY", AT, PRODUCER,
                new InteractionRecorded("assistant", "What are your product features?", "Our product offers...",
                        Map.of("intent", "product_info"), Map.of(), 150L));
    }

    public static EventEnvelope evaluationRecorded() {
        return EventEnvelope.of(UUID.randomUUID(), "session-123", "session-123", null, AT, PRODUCER,
                new EvaluationRecorded(EntityType.SESSION, Map.of(
                        "satisfaction_score", 4.5,
                        "resolution_time", 300,
                        "topics_covered", List.of("product_info", "pricing"),
                        "sentiment", "positive")));
    }

    public static List<EventEnvelope> oneOfEachType() {
        return List.of(sessionCreated(), sessionUpdated(), sessionClosed(), sessionDeleted(),
                interactionRecorded(), evaluationRecorded());
    }

    public static EventEnvelope created(String strategy, Instant at) {
        return stamped(sessionCreated(), SESSION, strategy, at);
    }

    public static EventEnvelope updated(String strategy, Instant at, SessionUpdated update) {
        return EventEnvelope.of(UUID.randomUUID(), SESSION, SESSION, strategy, at, PRODUCER, update);
    }

    public static EventEnvelope closed(Instant at) {
        return stamped(sessionClosed(), SESSION, null, at);
    }

    public static EventEnvelope deleted(Instant at) {
        return stamped(sessionDeleted(), SESSION, null, at);
    }

    public static EventEnvelope interaction(String id, String strategy, Instant at) {
        return stamped(interactionRecorded(), id, strategy, at);
    }

    /** The sample's payload as a new event of entity {@code entityId} at {@code at}, with {@code strategy}. */
    private static EventEnvelope stamped(EventEnvelope sample, String entityId, String strategy, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), SESSION, entityId, strategy, at, PRODUCER, sample.payload());
    }
}
