package dev.mtp.ingest.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.IsoInstants;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes an event as {@link EventCodec#encode} does, byte for byte (EventJsonTest), straight to the generator:
 * Jackson's record serializer reached each field by reflection and formatted the instant with a general
 * {@code DateTimeFormatter}, on every request. The rules the mapper applies are kept: absent
 * fields are left out, and so are null entries of user maps at any depth, except anywhere in an update's context and
 * metadata, where a null removes a key.
 */
final class EventJson {
    private EventJson() {}

    static byte[] encode(EventEnvelope event) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(2_000);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("eventId", event.eventId().toString());
            json.writeStringField("type", event.type().wireName());
            json.writeNumberField("schemaVersion", event.schemaVersion());
            json.writeStringField("sessionId", event.sessionId());
            json.writeStringField("entityId", event.entityId());
            if (event.cacheStrategy() != null) {
                json.writeStringField("cacheStrategy", event.cacheStrategy());
            }
            json.writeStringField("occurredAt", IsoInstants.format(event.occurredAt()));
            json.writeStringField("producer", event.producer());
            json.writeFieldName("payload");
            payload(json, event.payload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event " + event.eventId(), e);
        }
        return bytes.toByteArray();
    }

    private static void payload(JsonGenerator json, EventPayload payload) throws IOException {
        switch (payload) {
            case SessionCreated created -> {
                json.writeStartObject();
                json.writeStringField("userId", created.userId());
                json.writeStringField("status", created.status());
                map(json, "context", created.context(), false);
                map(json, "metadata", created.metadata(), false);
                json.writeEndObject();
            }
            case SessionUpdated updated -> {
                json.writeStartObject();
                optional(json, "userId", updated.userId());
                optional(json, "status", updated.status());
                map(json, "context", updated.context(), true);
                map(json, "metadata", updated.metadata(), true);
                json.writeEndObject();
            }
            case InteractionRecorded interaction -> {
                json.writeStartObject();
                json.writeStringField("role", interaction.role());
                optional(json, "request", interaction.request());
                optional(json, "response", interaction.response());
                map(json, "context", interaction.context(), false);
                map(json, "metadata", interaction.metadata(), false);
                if (interaction.processingTimeMs() != null) {
                    json.writeNumberField("processingTimeMs", interaction.processingTimeMs());
                }
                json.writeEndObject();
            }
            case EvaluationRecorded evaluation -> {
                json.writeStartObject();
                json.writeStringField("entityType", evaluation.entityType().json());
                map(json, "evaluationData", evaluation.evaluationData(), false);
                json.writeEndObject();
            }
            // closing and deleting sessions are not ingest operations; the mapper writes them as anywhere else
            case SessionClosed closed -> Json.mapper().writeValue(json, closed);
            case SessionDeleted deleted -> Json.mapper().writeValue(json, deleted);
        }
    }

    private static void optional(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void map(JsonGenerator json, String name, Map<String, Object> map, boolean keepNulls)
            throws IOException {
        if (map != null) {
            json.writeFieldName(name);
            object(json, map, keepNulls);
        }
    }

    private static void object(JsonGenerator json, Map<?, ?> map, boolean keepNulls) throws IOException {
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() != null || keepNulls) {
                json.writeFieldName((String) entry.getKey());
                value(json, entry.getValue(), keepNulls);
            }
        }
        json.writeEndObject();
    }

    /** A user map's value: what a request's JSON reads into. Lists keep their nulls, maps as the map above them. */
    private static void value(JsonGenerator json, Object value, boolean keepNulls) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String text -> json.writeString(text);
            case Integer number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Double number -> json.writeNumber(number);
            case BigInteger number -> json.writeNumber(number);
            case BigDecimal number -> json.writeNumber(number);
            case Boolean flag -> json.writeBoolean(flag);
            case Map<?, ?> map -> object(json, map, keepNulls);
            case List<?> list -> {
                json.writeStartArray();
                for (Object item : list) {
                    value(json, item, keepNulls);
                }
                json.writeEndArray();
            }
            default -> Json.mapper().writeValue(json, value);
        }
    }
}
