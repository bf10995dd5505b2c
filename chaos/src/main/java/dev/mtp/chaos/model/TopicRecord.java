package dev.mtp.chaos.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One record read from a persistence topic: where it is and its envelope (README, "The event contract").
 *
 * @param topic the topic's role: {@code sessions}, {@code interactions} or {@code evaluations}
 */
public record TopicRecord(String topic, int partition, long offset, JsonNode envelope) {

    public String type() {
        return envelope.path("type").asText();
    }

    public String eventId() {
        return envelope.path("eventId").asText();
    }

    public String sessionId() {
        return envelope.path("sessionId").asText();
    }

    public String entityId() {
        return envelope.path("entityId").asText();
    }

    public JsonNode payload() {
        return envelope.path("payload");
    }

    /** The strategy the event names, or null when it names none (an update that keeps it). */
    public String cacheStrategy() {
        JsonNode s = envelope.get("cacheStrategy");
        return s == null || s.isNull() ? null : s.asText();
    }

    public long occurredAtMillis() {
        return Instant.parse(envelope.path("occurredAt").asText()).toEpochMilli();
    }

    /** The topic's role from its name: {@code <prefix>sessions.v1} is {@code sessions}. */
    public static String roleOf(String topicName) {
        for (String role : new String[] {"sessions", "interactions", "evaluations"}) {
            if (topicName.endsWith(role + ".v1")) {
                return role;
            }
        }
        throw new IllegalArgumentException("topic: '" + topicName + "' is not a persistence topic (*.sessions.v1, "
                + "*.interactions.v1, *.evaluations.v1)");
    }
}
