package dev.mtp.ingest.tools;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.ingest.application.Published;

import java.util.LinkedHashMap;
import java.util.Map;

/** The answer to an accepted write: where the event landed and how it will reach the stores. */
final class Acknowledgements {
    /** Until the hybrid fast path exists, every write reaches the stores through the event path. */
    static final String SYNC_METHOD = "kafka-event";

    private Acknowledgements() {}

    static ToolResult of(Published published, Map<String, Object> extra) {
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
        structured.put("syncMethod", SYNC_METHOD);
        structured.putAll(extra);
        String text = event.type().wireName() + " " + event.entityId() + " accepted: " + published.topic()
                + " partition " + published.partition() + " offset " + published.offset();
        return ToolResult.success(text, structured);
    }
}
