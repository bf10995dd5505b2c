package dev.mtp.reconciler;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Seed-shaped events of any session at chosen times. */
public final class Events {

    private Events() {}

    public static EventEnvelope created(String session, String strategy, Instant at) {
        return envelope(session, session, strategy, at, new SessionCreated("user-456", "active",
                Map.of("currentTopic", "product_inquiry"), Map.of("source", "web_chat")));
    }

    public static EventEnvelope updated(String session, String strategy, Instant at, String status) {
        return envelope(session, session, strategy, at, new SessionUpdated(null, status,
                Map.of("currentTopic", "pricing"), null));
    }

    public static EventEnvelope closed(String session, Instant at) {
        return envelope(session, session, null, at, new SessionClosed("user left"));
    }

    public static EventEnvelope deleted(String session, Instant at) {
        return envelope(session, session, null, at, new SessionDeleted("erasure request"));
    }

    public static EventEnvelope interaction(String session, String id, String strategy, Instant at) {
        return envelope(session, id, strategy, at, new InteractionRecorded("assistant",
                "What are your product features?", "Our product offers... (" + id + ")",
                Map.of("intent", "product_info"), Map.of("model", "m1"), 150L));
    }

    private static EventEnvelope envelope(String session, String entity, String strategy, Instant at,
                                          EventPayload payload) {
        return EventEnvelope.of(UUID.randomUUID(), session, entity, strategy, at, "test", payload);
    }
}
