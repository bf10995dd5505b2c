package dev.mtp.ingest.tools;

import dev.mtp.common.event.Ids;
import dev.mtp.ingest.application.InputLimits;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the tools' JSON Schemas (draft 2020-12 keywords that MCP clients read). */
final class Schemas {
    static final String ID_PATTERN = "^[A-Za-z0-9._:-]{1," + Ids.MAX_LENGTH + "}$";

    private Schemas() {}

    static Map<String, Object> object(List<String> required, Map<String, Object> properties) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    /** An output object: more fields may be added later (additive changes), so no additionalProperties:false. */
    static Map<String, Object> output(List<String> required, Map<String, Object> properties) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    static Map<String, Object> props(Object... nameThenSchema) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            props.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
        }
        return props;
    }

    static Map<String, Object> id(String description) {
        return Map.of("type", "string", "pattern", ID_PATTERN, "maxLength", Ids.MAX_LENGTH,
                "description", description + " " + Ids.RULE + ".");
    }

    static Map<String, Object> string(String description, int maxLength) {
        return Map.of("type", "string", "minLength", 1, "maxLength", maxLength, "description", description);
    }

    static Map<String, Object> text(String description, InputLimits limits) {
        return Map.of("type", "string", "maxLength", limits.maxTextChars(), "description", description);
    }

    static Map<String, Object> plain(String type, String description) {
        return Map.of("type", type, "description", description);
    }

    static Map<String, Object> integer(String description, long min, long max) {
        return Map.of("type", "integer", "minimum", min, "maximum", max, "description", description);
    }

    static Map<String, Object> userMap(String description, InputLimits limits) {
        return Map.of("type", "object",
                "propertyNames", Map.of("minLength", 1, "maxLength", limits.maxKeyLength(), "pattern", "^[^.$][^.]*$"),
                "description", description + " Free-form JSON object: at most " + limits.maxMapDepth()
                        + " levels deep and " + limits.maxMapBytes() + " bytes as JSON; keys must not contain '.' "
                        + "or start with '$'.");
    }

    static <E extends Enum<E>> Map<String, Object> enumOf(Class<E> type, String description) {
        return Map.of("type", "string", "enum", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList(),
                "description", description);
    }

    static Map<String, Object> strings(String description, String... values) {
        return Map.of("type", "string", "enum", List.of(values), "description", description);
    }

    /** The answer to an accepted write: where the event landed and how it reaches the stores. */
    static Map<String, Object> acknowledgement() {
        return output(List.of("success", "eventId", "type", "sessionId", "entityId", "topic", "partition", "offset",
                        "syncMethod"),
                props("success", plain("boolean", "true: Kafka acknowledged the event (acks=all)."),
                        "eventId", Map.of("type", "string", "format", "uuid", "description", "The event's id, its idempotency key."),
                        "type", plain("string", "Event type, e.g. session.created."),
                        "sessionId", plain("string", "Session the event belongs to; the record key."),
                        "entityId", plain("string", "The session, interaction or evaluated entity."),
                        "topic", plain("string", "Kafka topic the event landed on."),
                        "partition", Map.of("type", "integer", "minimum", 0),
                        "offset", Map.of("type", "integer", "minimum", 0,
                                "description", "Offset in the partition: the version of the state this event writes."),
                        "syncMethod", strings("hybrid-direct: also written to Redis right after the ack; "
                                + "kafka-event: the writers apply it from Kafka.", "hybrid-direct", "kafka-event"),
                        "syncReason", plain("string", "Why this sync method."),
                        "cacheStrategy", plain("string", "The cache strategy the event carries."),
                        "storage", plain("string", "Where the data is kept, for evaluations: mongodb-only.")));
    }
}
