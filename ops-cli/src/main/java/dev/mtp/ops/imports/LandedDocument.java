package dev.mtp.ops.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.json.Json;
import dev.mtp.documents.Fields;
import dev.mtp.documents.UserMapCodec;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares an imported event with the MongoDB document mongo-writer keeps for it: which collection and id hold it,
 * and which of the fields the event wrote differ (user maps decoded from their stored form, numbers compared by
 * value, so an int stored as a long is the same).
 */
public final class LandedDocument {
    private LandedDocument() {}

    private static final ObjectMapper JSON = Json.mapper();
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    public static String collection(EventEnvelope event) {
        return switch (event.type().topic()) {
            case SESSIONS -> Fields.SESSIONS;
            case INTERACTIONS -> Fields.INTERACTIONS;
            default -> Fields.EVALUATIONS;
        };
    }

    /** The document's {@code _id}: the session id, the interaction id, the evaluation's event id. */
    public static String id(EventEnvelope event) {
        return switch (event.type().topic()) {
            case SESSIONS, INTERACTIONS -> event.entityId();
            default -> event.eventId().toString();
        };
    }

    /** The names of the fields whose stored value differs from the event's; empty when all match. */
    public static List<String> differences(EventEnvelope event, Document stored) {
        Map<String, Object> expected = expected(event);
        List<String> differ = new ArrayList<>();
        expected.forEach((field, value) -> {
            Object actual = stored.get(field);
            if (actual instanceof Document map) {
                actual = UserMapCodec.decode(map);
            }
            JsonNode want = JSON.valueToTree(value);
            JsonNode have = JSON.valueToTree(PlainValues.of(actual));
            if (!want.equals(BY_VALUE, have)) {
                differ.add(field);
            }
        });
        return differ;
    }

    private static Map<String, Object> expected(EventEnvelope event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        switch (event.payload()) {
            case SessionCreated s -> {
                fields.put(Fields.USER_ID, s.userId());
                fields.put(Fields.STATUS, s.status());
                fields.put(Fields.CACHE_STRATEGY, event.cacheStrategy());
                fields.put(Fields.CONTEXT, s.context());
                fields.put(Fields.METADATA, s.metadata());
            }
            case InteractionRecorded i -> {
                fields.put(Fields.SESSION_ID, event.sessionId());
                fields.put(Fields.ROLE, i.role());
                fields.put(Fields.REQUEST, i.request());
                fields.put(Fields.RESPONSE, i.response());
                fields.put(Fields.CONTEXT, i.context());
                fields.put(Fields.METADATA, i.metadata());
                fields.put(Fields.PROCESSING_TIME_MS, i.processingTimeMs());
                fields.put(Fields.CACHE_STRATEGY, event.cacheStrategy());
            }
            case EvaluationRecorded e -> {
                fields.put(Fields.ENTITY_ID, event.entityId());
                fields.put(Fields.ENTITY_TYPE, e.entityType().json());
                fields.put(Fields.SESSION_ID, event.sessionId());
                fields.put(Fields.EVALUATION_DATA, e.evaluationData());
            }
            default -> throw new IllegalArgumentException("an import publishes no " + event.type().wireName());
        }
        return fields;
    }
}
