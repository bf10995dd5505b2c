package dev.mtp.ops.imports;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportEventsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    private final ImportEvents events = new ImportEvents(SessionCacheStrategy.NONE,
            InteractionCacheStrategy.RESPONSE_ONLY, InputLimits.DEFAULTS, "mtp-ops-import@test",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void theSameRecordIsTheSameEventWhateverTheTimeOfTheRun() {
        Map<String, Object> session = Map.of("sessionId", "s-1", "userId", "u-1");
        EventEnvelope first = events.toEvent(EntityKind.SESSIONS, session);
        EventEnvelope second = new ImportEvents(SessionCacheStrategy.NONE, null, InputLimits.DEFAULTS, "other",
                Clock.systemUTC()).toEvent(EntityKind.SESSIONS, session);
        assertThat(first.eventId()).isEqualTo(second.eventId());
        assertThat(first.type()).isEqualTo(EventType.SESSION_CREATED);
        assertThat(first.cacheStrategy()).isEqualTo("NONE");
        assertThat(first.occurredAt()).isEqualTo(NOW);
        assertThat(events.toEvent(EntityKind.SESSIONS, Map.of("sessionId", "s-2", "userId", "u-1")).eventId())
                .isNotEqualTo(first.eventId());
    }

    @Test
    void anInteractionIsKnownByItsSessionAndIdAndKeepsItsOldTime() {
        Map<String, Object> turn = Map.of("interactionId", "i-1", "sessionId", "s-1", "role", "assistant",
                "response", "hello", "occurredAt", 1_748_772_000_000L);
        EventEnvelope event = events.toEvent(EntityKind.INTERACTIONS, turn);
        assertThat(event.entityId()).isEqualTo("i-1");
        assertThat(event.cacheStrategy()).isEqualTo("RESPONSE_ONLY");
        assertThat(event.occurredAt()).isEqualTo(Instant.ofEpochMilli(1_748_772_000_000L));
        assertThat(event.eventId()).isEqualTo(ImportEvents.id("interaction", "s-1", "i-1"));
        assertThat(events.toEvent(EntityKind.INTERACTIONS, Map.of("interactionId", "i-1", "sessionId", "s-2",
                "role", "assistant", "response", "hello")).eventId()).isNotEqualTo(event.eventId());
    }

    @Test
    void anInteractionWithoutItsIdIsRefused() {
        assertThatThrownBy(() -> events.toEvent(EntityKind.INTERACTIONS, Map.of("sessionId", "s-1", "role", "user",
                "request", "hi"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("interactionId: is required for an import: a second run must find the same interaction");
    }

    @Test
    void anEvaluationIsKnownByItsOldIdElseByWhatItSaysOfWhichEntity() {
        Map<String, Object> data = Map.of("csat", 4, "topics", java.util.List.of("billing"));
        EventEnvelope byData = events.toEvent(EntityKind.EVALUATIONS, Map.of("entityId", "s-1", "entityType",
                "session", "evaluationData", data));
        EventEnvelope sameDataOtherOrder = events.toEvent(EntityKind.EVALUATIONS, Map.of("entityId", "s-1",
                "entityType", "session", "evaluationData", new java.util.TreeMap<>(data).descendingMap()));
        assertThat(sameDataOtherOrder.eventId()).isEqualTo(byData.eventId());
        EventEnvelope byId = events.toEvent(EntityKind.EVALUATIONS, Map.of("entityId", "s-1", "entityType", "session",
                "evaluationData", data, "evaluationId", "ev-9"));
        assertThat(byId.eventId()).isEqualTo(ImportEvents.id("evaluation", "ev-9")).isNotEqualTo(byData.eventId());
        assertThat(byId.sessionId()).isEqualTo("s-1");
        assertThat(byId.cacheStrategy()).isNull();
    }

    @Test
    void refusesAsTheIngestRefusesAndABadTimeByName() {
        assertThatThrownBy(() -> events.toEvent(EntityKind.SESSIONS, Map.of("sessionId", "s 1", "userId", "u")))
                .hasMessageStartingWith("sessionId: must be 1-128 characters");
        assertThatThrownBy(() -> events.toEvent(EntityKind.SESSIONS, Map.of("sessionId", "s-1", "userId", "u",
                "context", Map.of("$where", 1)))).hasMessageContaining("keys must not start with '$'");
        assertThatThrownBy(() -> events.toEvent(EntityKind.SESSIONS, Map.of("sessionId", "s-1", "userId", "u",
                "occurredAt", "yesterday"))).hasMessage("occurredAt: must be an ISO-8601 instant, was 'yesterday'");
        assertThatThrownBy(() -> events.toEvent(EntityKind.SESSIONS, Map.of("sessionId", "s-1", "userId", "u",
                "occurredAt", true))).hasMessage("occurredAt: must be an ISO-8601 instant or epoch milliseconds, "
                + "was true");
    }
}
