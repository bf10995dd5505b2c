package dev.mtp.common.projection;

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

/** Seed-shaped events of one session at chosen times. */
final class Events {
    static final String SESSION = "session-123";
    static final Instant T0 = Instant.parse("2026-11-25T10:15:30Z");

    private Events() {}

    static EventEnvelope created(String strategy, Instant at) {
        return envelope(SESSION, strategy, at, new SessionCreated("user-456", "active",
                Map.of("currentTopic", "product_inquiry"), Map.of("source", "web_chat")));
    }

    static EventEnvelope updated(String strategy, Instant at, SessionUpdated update) {
        return envelope(SESSION, strategy, at, update);
    }

    static EventEnvelope closed(Instant at) {
        return envelope(SESSION, null, at, new SessionClosed("user left"));
    }

    static EventEnvelope deleted(Instant at) {
        return envelope(SESSION, null, at, new SessionDeleted("erasure request"));
    }

    static EventEnvelope interaction(String id, String strategy, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), SESSION, id, strategy, at, "test",
                new InteractionRecorded("assistant", "What are your product features?", "Our product offers...",
                        Map.of("intent", "product_info"), Map.of("model", "m1"), 150L));
    }

    private static EventEnvelope envelope(String session, String strategy, Instant at, EventPayload payload) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, strategy, at, "test", payload);
    }
}
