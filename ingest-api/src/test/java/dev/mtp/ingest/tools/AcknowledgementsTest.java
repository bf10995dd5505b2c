package dev.mtp.ingest.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.json.Json;
import dev.mtp.common.version.Incarnation;
import dev.mtp.ingest.application.Accepted;
import dev.mtp.ingest.application.Published;
import dev.mtp.ingest.application.sync.SyncMethod;
import dev.mtp.ingest.application.sync.SyncResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API writes the acknowledgement without building it; it must say what the tools' map says. */
class AcknowledgementsTest {
    private static final Incarnation TAG = new Incarnation("AbCdEfGh");

    static List<Accepted> accepted() {
        Instant at = Instant.parse("2026-11-25T10:15:30.123Z");
        EventEnvelope interaction = EventEnvelope.of(UUID.randomUUID(), "s-1", "i-1", "RESPONSE_ONLY", at, "test",
                new InteractionRecorded("assistant", null, "hi", Map.of(), Map.of(), null));
        EventEnvelope evaluation = EventEnvelope.of(UUID.randomUUID(), "s-1", "i-1", null, at, "test",
                new EvaluationRecorded(EntityType.INTERACTION, Map.of("score", 1)));
        return List.of(
                new Accepted(new Published(interaction, "mtp.interactions.v1", 3, 12_345_678_901L, 0, TAG),
                        new SyncResult(SyncMethod.HYBRID_DIRECT, "written to Redis directly at version 12345678901")),
                new Accepted(new Published(evaluation, "mtp.evaluations.v1", 0, 0, 0, TAG),
                        new SyncResult(SyncMethod.KAFKA_EVENT, "no cache projection for \"evaluation.recorded\"")));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void writesWhatTheStructuredMapHolds(Accepted accepted) throws Exception {
        StringWriter written = new StringWriter();
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(written)) {
            Acknowledgements.write(json, accepted);
        }

        assertThat(written.toString()).isEqualTo(Json.mapper().writeValueAsString(Acknowledgements.structured(accepted)));
    }
}
