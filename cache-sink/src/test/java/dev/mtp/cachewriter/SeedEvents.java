package dev.mtp.cachewriter;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Events shaped like the seed's usage examples. */
public final class SeedEvents {
    private SeedEvents() {}

    /** Incarnations of the two consumed topics, for tests without a broker. */
    public static final Incarnation SESSIONS = new Incarnation("SeSsIoNs");
    public static final Incarnation INTERACTIONS = new Incarnation("InTeRaCt");

    /** A sessions-topic version in {@link #SESSIONS}. */
    public static Version sv(long offset) {
        return Version.of(SESSIONS, offset);
    }

    /** An interactions-topic version in {@link #INTERACTIONS}. */
    public static Version iv(long offset) {
        return Version.of(INTERACTIONS, offset);
    }

    public static EventEnvelope created(String session, String strategy, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, strategy, at, "test",
                new SessionCreated("user-456", "active", Map.of("currentTopic", "product_inquiry"),
                        Map.of("source", "web_chat")));
    }

    public static EventEnvelope updated(String session, String strategy, Instant at, SessionUpdated update) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, strategy, at, "test", update);
    }

    public static EventEnvelope closed(String session, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, null, at, "test", new SessionClosed("done"));
    }

    public static EventEnvelope deleted(String session, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, null, at, "test", new SessionDeleted("erasure"));
    }

    public static EventEnvelope interaction(String session, String id, String strategy, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, id, strategy, at, "test",
                new InteractionRecorded("assistant", "What are your product features?", "Our product offers...",
                        Map.of("intent", "product_info"), Map.of(), 150L));
    }
}
