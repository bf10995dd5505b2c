package dev.mtp.ingest.kafka;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.json.EventCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The ingest's encoder must write exactly the contract's bytes, for every event it publishes. */
class EventJsonTest {

    static List<EventEnvelope> events() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("deep", Map.of("k", "v"));
        inner.put("gone", null);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("removed", null);
        nested.put("text", "é€😀 \"quoted\"\n");
        nested.put("numbers", Arrays.asList(1, 12345678901L, 1.5, -0.0, 1e300, null, true, false,
                new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50")));
        nested.put("list of maps", List.of(inner, List.of()));
        nested.put("inner", inner);
        return List.of(
                event("session-1", "session-1", "WITH_CONTEXT", Instant.parse("2026-11-25T10:15:30Z"),
                        new SessionCreated("user-1", "active", nested, Map.of())),
                event("session-1", "session-1", null, Instant.parse("2026-11-25T10:15:30.120Z"),
                        new SessionUpdated(null, "idle", nested, null)),
                event("session-1", "session-1", "NONE", Instant.parse("2026-11-25T10:15:30.123456Z"),
                        new SessionUpdated("user-2", null, null, nested)),
                event("session-1", "int-1", "RESPONSE_ONLY", Instant.parse("2026-11-25T10:15:30.123456789Z"),
                        new InteractionRecorded("assistant", null, "r".repeat(700), nested, Map.of(), 150L)),
                event("session-1", "int-2", "FULL_INTERACTION", Instant.parse("1999-12-31T23:59:59.999Z"),
                        new InteractionRecorded("user", "q", null, Map.of(), nested, null)),
                event("session-1", "int-2", null, Instant.parse("2026-11-25T10:15:30Z"),
                        new EvaluationRecorded(EntityType.INTERACTION, nested)));
    }

    @ParameterizedTest
    @MethodSource("events")
    void writesTheContractsBytes(EventEnvelope event) {
        assertThat(new String(EventJson.encode(event), StandardCharsets.UTF_8))
                .isEqualTo(new String(EventCodec.encode(event), StandardCharsets.UTF_8));
    }

    private static EventEnvelope event(String sessionId, String entityId, String strategy, Instant at, EventPayload payload) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, entityId, strategy, at, "ingest-api@test", payload);
    }
}
