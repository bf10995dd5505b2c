package dev.mtp.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.EventType;
import dev.mtp.common.event.InvalidEventException;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads an envelope in two steps: the envelope fields, then the payload as the record its type
 * names. Any problem becomes an {@link InvalidEventException} naming the field.
 */
public final class EventEnvelopeDeserializer extends StdDeserializer<EventEnvelope> {

    public EventEnvelopeDeserializer() {
        super(EventEnvelope.class);
    }

    @Override
    public EventEnvelope deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = parser.readValueAsTree();
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("$", "an event must be a JSON object");
        }
        EventType type = EventType.fromWireName(text(node, "type"));
        JsonNode payloadNode = node.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new InvalidEventException("payload", "is required and must be an object");
        }
        EventPayload payload = PayloadReader.read(parser.getCodec(), payloadNode, type.payloadType());
        JsonNode version = node.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new InvalidEventException("schemaVersion", "is required and must be an integer");
        }
        return new EventEnvelope(
                uuid(node, "eventId"),
                type,
                version.intValue(),
                text(node, "sessionId"),
                text(node, "entityId"),
                optionalText(node, "cacheStrategy"),
                instant(node, "occurredAt"),
                text(node, "producer"),
                payload);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException(field, "is required");
        }
        if (!value.isTextual()) {
            throw new InvalidEventException(field, "must be a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(node, field);
    }

    private static UUID uuid(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(field, "must be a UUID");
        }
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field, "must be an ISO-8601 UTC instant such as 2026-01-31T12:00:00Z");
        }
    }
}
