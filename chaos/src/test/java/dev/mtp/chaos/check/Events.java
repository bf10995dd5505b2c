package dev.mtp.chaos.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtp.chaos.model.TopicRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Topic records for tests, with offsets counted per topic as one partition would give them. */
final class Events {

    static final ObjectMapper JSON = new ObjectMapper();

    private final List<TopicRecord> records = new ArrayList<>();
    private final long[] next = new long[3];

    List<TopicRecord> records() {
        return records;
    }

    TopicRecord add(String type, String eventId, String sessionId, String entityId, String strategy, long at,
                    String payloadJson) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("eventId", eventId);
        envelope.put("type", type);
        envelope.put("schemaVersion", 1);
        envelope.put("sessionId", sessionId);
        envelope.put("entityId", entityId);
        if (strategy != null) {
            envelope.put("cacheStrategy", strategy);
        }
        envelope.put("occurredAt", Instant.ofEpochMilli(at).toString());
        envelope.put("producer", "test");
        try {
            envelope.set("payload", JSON.readTree(payloadJson));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        String topic = type.startsWith("session") ? "sessions" : type.startsWith("interaction") ? "interactions"
                : "evaluations";
        int t = switch (topic) {
            case "sessions" -> 0;
            case "interactions" -> 1;
            default -> 2;
        };
        TopicRecord record = new TopicRecord(topic, 0, next[t]++, envelope);
        records.add(record);
        return record;
    }
}
