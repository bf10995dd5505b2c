package dev.mtp.ingest.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.ingest.application.Accepted;
import dev.mtp.ingest.application.Published;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The answer to an accepted write: where the event landed and how it will reach the stores. */
public final class Acknowledgements {
    private Acknowledgements() {}

    public static Map<String, Object> structured(Accepted accepted) {
        Published published = accepted.published();
        EventEnvelope event = published.event();
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("success", true);
        structured.put("eventId", event.eventId().toString());
        structured.put("type", event.type().wireName());
        structured.put("sessionId", event.sessionId());
        structured.put("entityId", event.entityId());
        structured.put("topic", published.topic());
        structured.put("partition", published.partition());
        structured.put("offset", published.offset());
        structured.put("version", published.version().toString());
        structured.put("syncMethod", accepted.sync().method().wireName());
        structured.put("syncReason", accepted.sync().reason());
        if (event.cacheStrategy() != null) {
            structured.put("cacheStrategy", event.cacheStrategy());
        }
        return structured;
    }

    /**
     * Writes {@link #structured} as a JSON object straight to the generator, without building the map: the JSON API
     * answers every accepted write, and a batch a hundred at a time.
     */
    public static void write(JsonGenerator json, Accepted accepted) throws IOException {
        Published published = accepted.published();
        EventEnvelope event = published.event();
        json.writeStartObject();
        json.writeBooleanField("success", true);
        json.writeStringField("eventId", event.eventId().toString());
        json.writeStringField("type", event.type().wireName());
        json.writeStringField("sessionId", event.sessionId());
        json.writeStringField("entityId", event.entityId());
        json.writeStringField("topic", published.topic());
        json.writeNumberField("partition", published.partition());
        json.writeNumberField("offset", published.offset());
        json.writeStringField("version", published.version().toString());
        json.writeStringField("syncMethod", accepted.sync().method().wireName());
        json.writeStringField("syncReason", accepted.sync().reason());
        if (event.cacheStrategy() != null) {
            json.writeStringField("cacheStrategy", event.cacheStrategy());
        }
        json.writeEndObject();
    }

    static ToolResult of(Accepted accepted, Map<String, Object> extra) {
        Published published = accepted.published();
        EventEnvelope event = published.event();
        Map<String, Object> structured = structured(accepted);
        structured.putAll(extra);
        String text = event.type().wireName() + " " + event.entityId() + " accepted: " + published.topic()
                + " partition " + published.partition() + " offset " + published.offset() + ", sync "
                + accepted.sync().method().wireName() + " (" + accepted.sync().reason() + ")";
        return ToolResult.success(text, structured);
    }
}
