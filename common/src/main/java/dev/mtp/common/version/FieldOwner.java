package dev.mtp.common.version;

import dev.mtp.common.event.TopicRole;

import java.util.List;

/**
 * Which topic owns which fields of a stored document or cache value. A writer compares an event's
 * offset only with the stored version of the fields its topic owns, so the offsets of different
 * topics are never compared with each other.
 */
public enum FieldOwner {
    /** Session fields: userId, status, context, metadata, cache strategy, created/updated/closed/deleted. */
    SESSION_FIELDS(TopicRole.SESSIONS, List.of("userId", "status", "context", "metadata", "cacheStrategy",
            "createdAt", "updatedAt", "closedAt", "deleted")),
    /** A session's interaction summary: interactionCount, lastInteractionId, lastActivityAt; and interaction documents. */
    INTERACTION_SUMMARY(TopicRole.INTERACTIONS, List.of("interactionCount", "lastInteractionId", "lastActivityAt")),
    /** Evaluation data attached to a session or an interaction, and the evaluation documents. */
    EVALUATION_DATA(TopicRole.EVALUATIONS, List.of("evaluationData", "evaluatedAt"));

    private final TopicRole topic;
    private final List<String> fields;

    FieldOwner(TopicRole topic, List<String> fields) {
        this.topic = topic;
        this.fields = fields;
    }

    public TopicRole topic() { return topic; }
    public List<String> fields() { return fields; }

    public static FieldOwner of(TopicRole topic) {
        for (FieldOwner owner : values()) {
            if (owner.topic == topic) {
                return owner;
            }
        }
        throw new IllegalArgumentException("no fields are owned by " + topic);
    }
}
