package dev.mtp.chaos.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the persistence topics into what the stores must hold, from the README's event contract alone:
 * <ul>
 *   <li>each topic owns its fields, and within a topic the greater offset wins (a session's events share one
 *       partition, so offset order is the order they were acknowledged in);</li>
 *   <li>{@code session.created} sets every session field, keeping {@code createdAt} of a live session;
 *       {@code session.updated} merges context and metadata key by key (null removes) and changes nothing on a
 *       session that is not live; {@code session.closed} sets status {@code closed} and {@code closedAt};
 *       {@code session.deleted} erases the session and what was recorded of it up to then;</li>
 *   <li>an interaction's document is its last record (an interaction only evaluated has the evaluation's fields
 *       alone); the session counts distinct interaction ids and names the last
 *       one (by offset) with its time;</li>
 *   <li>an evaluation is stored once under its event id; the latest one of a session or interaction is attached to
 *       it, and the session counts the distinct evaluations of itself and its interactions.</li>
 * </ul>
 * Cross-topic order only matters for deletion, judged by {@code occurredAt} as the README's document model does.
 */
public final class ContractFold {

    private ContractFold() {}

    public static Expected fold(List<TopicRecord> records) {
        Map<String, SessionExpect> sessions = new LinkedHashMap<>();
        Map<String, InteractionExpect> interactions = new LinkedHashMap<>();
        Map<String, EvaluationExpect> evaluations = new LinkedHashMap<>();
        List<TopicRecord> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparingInt((TopicRecord r) -> topicRank(r.topic()))
                .thenComparingInt(TopicRecord::partition).thenComparingLong(TopicRecord::offset));
        for (TopicRecord r : ordered) {
            SessionExpect s = sessions.computeIfAbsent(r.sessionId(), SessionExpect::new);
            s.maxEventAt = Math.max(s.maxEventAt, r.type().startsWith("evaluation") ? 0 : r.occurredAtMillis());
            switch (r.type()) {
                case "session.created", "session.updated", "session.closed", "session.deleted" -> sessionEvent(s, r);
                case "interaction.recorded" -> interaction(s, interactions, r);
                case "evaluation.recorded" -> evaluation(s, interactions, evaluations, r);
                default -> throw new IllegalArgumentException("type: '" + r.type() + "' at " + r.topic() + "/"
                        + r.partition() + "@" + r.offset() + " is not an event type of the contract");
            }
        }
        List<EvaluationExpect> erasedEvaluations = new ArrayList<>();
        for (EvaluationExpect e : evaluations.values()) {
            SessionExpect s = sessions.get(e.sessionId());
            if (s.deleted && e.evaluatedAt() <= s.deletedAt) {
                erasedEvaluations.add(new EvaluationExpect(e.id(), e.sessionId(), e.entityId(), e.entityType(),
                        e.evaluationData(), e.evaluatedAt(), e.producer(), e.offset(), true));
            }
        }
        erasedEvaluations.forEach(e -> evaluations.put(e.id(), e));
        for (InteractionExpect i : interactions.values()) {
            SessionExpect s = sessions.get(i.sessionId);
            i.erased = s.deleted && (i.recorded ? i.recordedAt : i.evaluatedAt) <= s.deletedAt;
        }
        return new Expected(sessions, interactions, evaluations, records.size());
    }

    private static int topicRank(String topic) {
        return switch (topic) {
            case "sessions" -> 0;
            case "interactions" -> 1;
            default -> 2;
        };
    }

    private static void sessionEvent(SessionExpect s, TopicRecord r) {
        JsonNode p = r.payload();
        long at = r.occurredAtMillis();
        s.sessionsVersion = r.offset();
        s.lastSessionEventAt = at;
        switch (r.type()) {
            case "session.created" -> {
                if (!s.live()) {
                    s.createdAt = at;
                    s.closedAt = null;
                    s.closeReason = null;
                    if (s.deleted) {
                        s.interactionIds.clear();
                        s.lastInteractionId = null;
                        s.lastActivityAt = null;
                        s.evaluationIds.clear();
                    }
                }
                s.created = true;
                s.deleted = false;
                s.deletedAt = null;
                s.userId = text(p, "userId");
                s.status = text(p, "status");
                s.context = p.get("context");
                s.metadata = p.get("metadata");
                s.strategy = r.cacheStrategy();
                s.updatedAt = at;
            }
            case "session.updated" -> {
                if (!s.live()) {
                    return;
                }
                if (p.hasNonNull("userId")) {
                    s.userId = p.get("userId").asText();
                }
                if (p.hasNonNull("status")) {
                    s.status = p.get("status").asText();
                }
                s.context = merge(s.context, p.get("context"));
                s.metadata = merge(s.metadata, p.get("metadata"));
                if (r.cacheStrategy() != null) {
                    s.strategy = r.cacheStrategy();
                }
                s.updatedAt = at;
            }
            case "session.closed" -> {
                if (!s.live()) {
                    return;
                }
                s.status = "closed";
                s.closedAt = at;
                s.closeReason = text(p, "reason");
                s.updatedAt = at;
            }
            default -> {
                s.deleted = true;
                s.deletedAt = at;
            }
        }
    }

    private static void interaction(SessionExpect s, Map<String, InteractionExpect> interactions, TopicRecord r) {
        JsonNode p = r.payload();
        InteractionExpect i = interactions.computeIfAbsent(r.entityId(), InteractionExpect::new);
        i.sessionId = r.sessionId();
        i.role = text(p, "role");
        i.request = text(p, "request");
        i.response = text(p, "response");
        i.context = p.get("context");
        i.metadata = p.get("metadata");
        i.processingTimeMs = p.hasNonNull("processingTimeMs") ? p.get("processingTimeMs").asLong() : null;
        i.strategy = r.cacheStrategy();
        i.recordedAt = r.occurredAtMillis();
        i.eventId = r.eventId();
        i.recorded = true;
        i.offset = r.offset();
        s.interactionsVersion = r.offset();
        s.lastInteractionEventAt = i.recordedAt;
        if (s.deleted && i.recordedAt <= s.deletedAt) {
            return;
        }
        s.interactionIds.add(i.interactionId);
        s.lastInteractionId = i.interactionId;
        s.lastActivityAt = i.recordedAt;
    }

    private static void evaluation(SessionExpect s, Map<String, InteractionExpect> interactions,
                                   Map<String, EvaluationExpect> evaluations, TopicRecord r) {
        JsonNode p = r.payload();
        String entityType = text(p, "entityType");
        EvaluationExpect e = new EvaluationExpect(r.eventId(), r.sessionId(), r.entityId(), entityType,
                p.get("evaluationData"), r.occurredAtMillis(), text(r.envelope(), "producer"), r.offset(), false);
        evaluations.putIfAbsent(e.id(), e);
        s.evaluationsVersion = r.offset();
        s.evaluationIds.add(e.id());
        s.lastEvaluationId = e.id();
        if ("session".equals(entityType)) {
            s.evaluationData = e.evaluationData();
            s.evaluatedAt = e.evaluatedAt();
        } else {
            InteractionExpect i = interactions.computeIfAbsent(r.entityId(), InteractionExpect::new);
            if (i.sessionId == null) {
                i.sessionId = r.sessionId();
            }
            i.evaluationData = e.evaluationData();
            i.evaluatedAt = e.evaluatedAt();
            i.lastEvaluationId = e.id();
            i.lastEvaluationOffset = r.offset();
        }
    }

    /** Top-level merge: a key mapped to null is removed, others replace. */
    private static JsonNode merge(JsonNode base, JsonNode update) {
        if (update == null || update.isNull()) {
            return base;
        }
        ObjectNode merged = base == null || !base.isObject()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : ((ObjectNode) base).deepCopy();
        update.properties().forEach(entry -> {
            if (entry.getValue().isNull()) {
                merged.remove(entry.getKey());
            } else {
                merged.set(entry.getKey(), entry.getValue());
            }
        });
        return merged;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
