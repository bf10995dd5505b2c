package dev.mtp.common.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    static List<EventEnvelope> events() {
        return SampleEvents.oneOfEachType();
    }

    @ParameterizedTest
    @MethodSource("events")
    void everyEventTypeSurvivesTheRoundTrip(EventEnvelope event) {
        EventEnvelope decoded = EventCodec.decode(EventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
    }

    @Test
    void anUpdateKeepsTheNullsThatRemoveKeysAndNothingElse() throws Exception {
        Map<String, Object> context = new java.util.LinkedHashMap<>();
        context.put("currentTopic", null);
        context.put("cart", 3);
        EventEnvelope update = EventEnvelope.of(UUID.randomUUID(), "session-123", "session-123", null,
                SampleEvents.AT, SampleEvents.PRODUCER, new SessionUpdated(null, "idle", context, null));

        byte[] wire = EventCodec.encode(update);
        ObjectNode payload = (ObjectNode) Json.mapper().readTree(wire).get("payload");

        assertThat(payload.get("context").has("currentTopic")).as("a null removes the key: it must travel").isTrue();
        assertThat(payload.get("context").get("currentTopic").isNull()).isTrue();
        assertThat(payload.has("metadata")).as("an absent map stays absent").isFalse();
        assertThat(payload.has("empty")).isFalse();
        assertThat(EventCodec.decode(wire)).isEqualTo(update);
    }

    @Test
    void writesTheWireNamesAndIsoInstants() throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(EventCodec.encode(SampleEvents.sessionCreated()));

        assertThat(json.get("type").asText()).isEqualTo("session.created");
        assertThat(json.get("occurredAt").asText()).isEqualTo("2026-11-25T10:15:30Z");
        assertThat(json.get("payload").get("context").get("currentTopic").asText()).isEqualTo("product_inquiry");
        assertThat(json.has("cacheStrategy")).isTrue();
    }

    @Test
    void evaluationDataKeepsNumbersListsAndStrings() {
        EvaluationRecorded payload = (EvaluationRecorded) EventCodec.decode(
                EventCodec.encode(SampleEvents.evaluationRecorded())).payload();

        assertThat(payload.entityType()).isEqualTo(EntityType.SESSION);
        assertThat(payload.evaluationData()).containsEntry("satisfaction_score", 4.5)
                .containsEntry("topics_covered", List.of("product_info", "pricing"));
    }

    @Test
    void userMapKeysWithDotsAndDollarsAreKeptAsData() {
        EventEnvelope event = EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", "FULL_SESSION", SampleEvents.AT,
                SampleEvents.PRODUCER, new SessionCreated("u-1", "active", Map.of("a.b", 1, "$where", "x"), Map.of()));

        SessionCreated payload = (SessionCreated) EventCodec.decode(EventCodec.encode(event)).payload();

        assertThat(payload.context()).containsEntry("a.b", 1).containsEntry("$where", "x");
    }

    @Test
    void unknownPropertiesAreIgnoredSoAdditiveChangesDoNotBreakReaders() throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(EventCodec.encode(SampleEvents.interactionRecorded()));
        json.put("addedLater", "x");
        ((ObjectNode) json.get("payload")).put("alsoAddedLater", 1);

        EventEnvelope decoded = EventCodec.decode(Json.mapper().writeValueAsBytes(json));

        assertThat(decoded.type()).isEqualTo(EventType.INTERACTION_RECORDED);
    }

    @Test
    void bytesThatAreNotJsonAreUnreadable() {
        assertThatThrownBy(() -> EventCodec.decode("not json {".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventCodec.UnreadableEventException.class);
    }

    @ParameterizedTest
    @MethodSource("events")
    void aPayloadWrittenBeforeItsTypeIsReadTheSame(EventEnvelope event) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(EventCodec.encode(event));
        ObjectNode payloadFirst = Json.mapper().createObjectNode();
        payloadFirst.set("payload", json.remove("payload"));
        payloadFirst.setAll(json);

        assertThat(EventCodec.decode(Json.mapper().writeValueAsBytes(payloadFirst))).isEqualTo(event);
    }

    @Test
    void aRecordCutOffInsideThePayloadIsUnreadableNotInvalid() {
        byte[] whole = EventCodec.encode(SampleEvents.interactionRecorded());
        byte[] cut = Arrays.copyOf(whole, whole.length - 20);

        assertThatThrownBy(() -> EventCodec.decode(cut)).isInstanceOf(EventCodec.UnreadableEventException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[1, 2]", "\"text\"", "42"})
    void jsonThatIsNotAnObjectIsInvalidAtTheRoot(String json) {
        assertThatThrownBy(() -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("$"));
    }

    @ParameterizedTest
    @MethodSource("brokenEvents")
    void brokenEventsNameTheFieldAndTheRule(Breakage breakage) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(EventCodec.encode(breakage.base()));
        breakage.edit().accept(json);
        byte[] bytes = Json.mapper().writeValueAsBytes(json);

        assertThatThrownBy(() -> EventCodec.decode(bytes))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.field()).isEqualTo(breakage.field());
                    assertThat(e.rule()).contains(breakage.ruleFragment());
                });
    }

    record Breakage(String name, EventEnvelope base, java.util.function.Consumer<ObjectNode> edit,
                    String field, String ruleFragment) {
        @Override public String toString() { return name; }
    }

    static List<Breakage> brokenEvents() {
        return Arrays.asList(
                new Breakage("unknown type", SampleEvents.sessionCreated(), j -> j.put("type", "session.exploded"),
                        "type", "is not one of session.created"),
                new Breakage("missing event id", SampleEvents.sessionCreated(), j -> j.remove("eventId"),
                        "eventId", "is required"),
                new Breakage("event id not a uuid", SampleEvents.sessionCreated(), j -> j.put("eventId", "123"),
                        "eventId", "must be a UUID"),
                new Breakage("future schema version", SampleEvents.sessionCreated(), j -> j.put("schemaVersion", 2),
                        "schemaVersion", "must be 1"),
                new Breakage("session id with a space", SampleEvents.sessionCreated(),
                        j -> j.put("sessionId", "session 123"), "sessionId", "characters of"),
                new Breakage("session id too long", SampleEvents.interactionRecorded(),
                        j -> j.put("sessionId", "s".repeat(129)), "sessionId", "1-128"),
                new Breakage("entity id differs for a session event", SampleEvents.sessionCreated(),
                        j -> j.put("entityId", "other"), "entityId", "must equal sessionId"),
                new Breakage("unknown strategy", SampleEvents.sessionCreated(), j -> j.put("cacheStrategy", "EVERYTHING"),
                        "cacheStrategy", "valid: NONE, CRITICAL_ONLY, WITH_CONTEXT, FULL_SESSION"),
                new Breakage("interaction strategy on a session", SampleEvents.sessionCreated(),
                        j -> j.put("cacheStrategy", "RESPONSE_ONLY"), "cacheStrategy", "is not a session cache strategy"),
                new Breakage("strategy missing on create", SampleEvents.interactionRecorded(), j -> j.remove("cacheStrategy"),
                        "cacheStrategy", "is required"),
                new Breakage("strategy on an evaluation", SampleEvents.evaluationRecorded(),
                        j -> j.put("cacheStrategy", "NONE"), "cacheStrategy", "must be absent"),
                new Breakage("bad timestamp", SampleEvents.sessionCreated(), j -> j.put("occurredAt", "yesterday"),
                        "occurredAt", "ISO-8601"),
                new Breakage("payload missing", SampleEvents.sessionCreated(), j -> j.remove("payload"),
                        "payload", "is required"),
                new Breakage("payload not an object", SampleEvents.sessionCreated(), j -> j.put("payload", "text"),
                        "payload", "must be an object"),
                new Breakage("type missing", SampleEvents.sessionCreated(), j -> j.remove("type"),
                        "type", "is required"),
                new Breakage("session id a number", SampleEvents.sessionCreated(), j -> j.put("sessionId", 7),
                        "sessionId", "must be a string"),
                new Breakage("schema version a string", SampleEvents.sessionCreated(), j -> j.put("schemaVersion", "1"),
                        "schemaVersion", "must be an integer"),
                new Breakage("user id missing", SampleEvents.sessionCreated(),
                        j -> ((ObjectNode) j.get("payload")).remove("userId"), "payload.userId", "is required"),
                new Breakage("context not an object", SampleEvents.sessionCreated(),
                        j -> ((ObjectNode) j.get("payload")).put("context", "text"), "payload.context", "wrong type"),
                new Breakage("interaction without request or response", SampleEvents.interactionRecorded(),
                        j -> ((ObjectNode) j.get("payload")).remove(List.of("request", "response")),
                        "payload.response", "request or response is required"),
                new Breakage("negative processing time", SampleEvents.interactionRecorded(),
                        j -> ((ObjectNode) j.get("payload")).put("processingTimeMs", -1), "payload.processingTimeMs", ">= 0"),
                new Breakage("unknown entity type", SampleEvents.evaluationRecorded(),
                        j -> ((ObjectNode) j.get("payload")).put("entityType", "user"), "payload.entityType", "session, interaction"),
                new Breakage("empty evaluation data", SampleEvents.evaluationRecorded(),
                        j -> ((ObjectNode) j.get("payload")).putObject("evaluationData"), "payload.evaluationData", "must not be empty"));
    }
}
