package dev.mtp.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.EventType;
import dev.mtp.common.event.InvalidEventException;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * Reads an envelope in one streaming pass: the envelope fields as they come, and the payload bound
 * straight to the record its type names. Writers put {@code type} before {@code payload}; only when a
 * producer does not is the payload buffered until the type is known. Every decoding writer spends most
 * of its CPU here, which is why there is no intermediate tree. Any problem becomes an
 * {@link InvalidEventException} naming the field.
 */
public final class EventEnvelopeDeserializer extends StdDeserializer<EventEnvelope> implements ResolvableDeserializer {

    /** Each payload record's deserializer, looked up once: a lookup per event costs Jackson an introspection. */
    private final Map<EventType, JsonDeserializer<Object>> payloadDeserializers = new EnumMap<>(EventType.class);

    public EventEnvelopeDeserializer() {
        super(EventEnvelope.class);
    }

    @Override
    public void resolve(DeserializationContext context) throws JsonMappingException {
        for (EventType type : EventType.values()) {
            payloadDeserializers.put(type, context.findRootValueDeserializer(context.constructType(type.payloadType())));
        }
    }

    @Override
    public EventEnvelope deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.isExpectedStartObjectToken()) {
            throw new InvalidEventException("$", "an event must be a JSON object");
        }
        Fields fields = new Fields();
        TokenBuffer payloadBeforeType = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            switch (name) {
                case "eventId" -> fields.eventId = text(parser, token, name);
                case "type" -> fields.type = EventType.fromWireName(text(parser, token, name));
                case "schemaVersion" -> fields.schemaVersion = integer(parser, token, name);
                case "sessionId" -> fields.sessionId = text(parser, token, name);
                case "entityId" -> fields.entityId = text(parser, token, name);
                case "cacheStrategy" -> fields.cacheStrategy = token == JsonToken.VALUE_NULL ? null : text(parser, token, name);
                case "occurredAt" -> fields.occurredAt = text(parser, token, name);
                case "producer" -> fields.producer = text(parser, token, name);
                case "payload" -> {
                    if (token != JsonToken.START_OBJECT) {
                        throw new InvalidEventException("payload", "is required and must be an object");
                    }
                    if (fields.type != null) {
                        fields.payload = PayloadReader.read(parser, context, payloadDeserializers.get(fields.type));
                    } else {
                        payloadBeforeType = context.bufferAsCopyOfValue(parser);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (fields.type == null) {
            throw new InvalidEventException("type", "is required");
        }
        EventType type = fields.type;
        if (fields.payload == null && payloadBeforeType == null) {
            throw new InvalidEventException("payload", "is required and must be an object");
        }
        EventPayload payload = fields.payload != null ? fields.payload : readBuffered(payloadBeforeType, context, type);
        if (fields.schemaVersion == null) {
            throw new InvalidEventException("schemaVersion", "is required and must be an integer");
        }
        return new EventEnvelope(
                uuid(required(fields.eventId, "eventId"), "eventId"),
                type,
                fields.schemaVersion,
                required(fields.sessionId, "sessionId"),
                required(fields.entityId, "entityId"),
                fields.cacheStrategy,
                instant(required(fields.occurredAt, "occurredAt"), "occurredAt"),
                required(fields.producer, "producer"),
                payload);
    }

    /** The envelope's fields as read so far; a later duplicate field wins, as in a JSON object. */
    private static final class Fields {
        String eventId;
        EventType type;
        Integer schemaVersion;
        String sessionId;
        String entityId;
        String cacheStrategy;
        String occurredAt;
        String producer;
        EventPayload payload;
    }

    private EventPayload readBuffered(TokenBuffer buffer, DeserializationContext context, EventType type)
            throws IOException {
        try (JsonParser replay = buffer.asParser(context.getParser().getCodec())) {
            replay.nextToken();
            return PayloadReader.read(replay, context, payloadDeserializers.get(type));
        }
    }

    private static String text(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            throw new InvalidEventException(field, "must be a string");
        }
        return parser.getText();
    }

    private static Integer integer(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            throw new InvalidEventException(field, "is required and must be an integer");
        }
        return parser.getIntValue();
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw new InvalidEventException(field, "is required");
        }
        return value;
    }

    private static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(field, "must be a UUID");
        }
    }

    private static Instant instant(String text, String field) {
        try {
            return IsoInstants.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field, "must be an ISO-8601 UTC instant such as 2026-01-31T12:00:00Z");
        }
    }
}
