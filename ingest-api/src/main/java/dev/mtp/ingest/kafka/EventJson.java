package dev.mtp.ingest.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.IsoInstants;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an event as {@link EventCodec#encode} does, byte for byte (EventJsonTest), with the envelope's fields written
 * straight to the generator: Jackson's record serializer reached each field by reflection and formatted the instant
 * with a general {@code DateTimeFormatter}, a tenth of the ingest's request threads. The payload, whose user maps
 * carry the contract's null rules, is still written by the project's mapper.
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
            Json.mapper().writeValue(json, event.payload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event " + event.eventId(), e);
        }
        return bytes.toByteArray();
    }
}
