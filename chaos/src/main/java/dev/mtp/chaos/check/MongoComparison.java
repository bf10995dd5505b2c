package dev.mtp.chaos.check;

import dev.mtp.chaos.model.EvaluationExpect;
import dev.mtp.chaos.model.Expected;
import dev.mtp.chaos.model.InteractionExpect;
import dev.mtp.chaos.model.SessionExpect;

import java.util.Map;

/**
 * Every MongoDB document against the fold: each expected document is there with the contract's values, an erased
 * one is gone, and no document is there that no event asked for. Field names are the README's document model
 * (docs/decisions/0006).
 */
final class MongoComparison {

    private MongoComparison() {}

    static void compare(Expected expected, StoreSnapshot store, Differences out) {
        expected.sessions().values().forEach(s -> session(s, store.sessions().get(s.sessionId), out));
        expected.interactions().values().forEach(i -> interaction(i, store.interactions().get(i.interactionId), out));
        expected.evaluations().values().forEach(e -> evaluation(e, store.evaluations().get(e.id()), out));
        unexpected("sessions", store.sessions(), expected.sessions(), out);
        unexpected("interactions", store.interactions(), expected.interactions(), out);
        unexpected("evaluations", store.evaluations(), expected.evaluations(), out);
    }

    private static void session(SessionExpect s, Map<String, Object> doc, Differences out) {
        String where = "sessions/" + s.sessionId;
        if (!s.created) {
            return;
        }
        if (doc == null) {
            out.lost(where, "no document (" + (s.deleted ? "deleted session's tombstone" : "live session") + ")");
            return;
        }
        if (s.deleted) {
            out.field(where, "deleted", true, doc.get("deleted"));
            out.time(where, "deletedAt", s.deletedAt, doc.get("deletedAt"));
            for (String erased : new String[] {"userId", "status", "context", "metadata", "interactionCount",
                    "lastInteractionId", "evaluationData", "evaluationCount"}) {
                if (doc.get(erased) != null) {
                    out.wrong(where, erased + ": still there after session.deleted");
                }
            }
            return;
        }
        out.field(where, "userId", s.userId, doc.get("userId"));
        out.field(where, "status", s.status, doc.get("status"));
        out.field(where, "cacheStrategy", s.strategy, doc.get("cacheStrategy"));
        out.field(where, "context", s.context, doc.get("context"));
        out.field(where, "metadata", s.metadata, doc.get("metadata"));
        out.time(where, "createdAt", s.createdAt, doc.get("createdAt"));
        out.time(where, "updatedAt", s.updatedAt, doc.get("updatedAt"));
        out.time(where, "closedAt", s.closedAt, doc.get("closedAt"));
        out.field(where, "closeReason", s.closeReason, doc.get("closeReason"));
        out.field(where, "deleted", null, Boolean.TRUE.equals(doc.get("deleted")) ? true : null);
        out.field(where, "interactionCount", s.interactionIds.size(), orZero(doc.get("interactionCount")));
        out.field(where, "lastInteractionId", s.lastInteractionId, doc.get("lastInteractionId"));
        out.time(where, "lastActivityAt", s.lastActivityAt, doc.get("lastActivityAt"));
        out.field(where, "evaluationData", s.evaluationData, doc.get("evaluationData"));
        out.time(where, "evaluatedAt", s.evaluatedAt, doc.get("evaluatedAt"));
        out.field(where, "lastEvaluationId", s.lastEvaluationId, doc.get("lastEvaluationId"));
        out.field(where, "evaluationCount", s.evaluationIds.size(), orZero(doc.get("evaluationCount")));
        Map<?, ?> versions = doc.get("versions") instanceof Map<?, ?> m ? m : Map.of();
        out.field(where, "versions.sessions", s.sessionsVersion, versions.get("sessions"));
        out.field(where, "versions.interactions", s.interactionsVersion, orMinusOne(versions.get("interactions")));
    }

    private static void interaction(InteractionExpect i, Map<String, Object> doc, Differences out) {
        String where = "interactions/" + i.interactionId;
        if (i.erased) {
            if (doc != null) {
                out.wrong(where, "still there after its session was deleted");
            }
            return;
        }
        if (doc == null) {
            out.lost(where, "no document");
            return;
        }
        out.field(where, "sessionId", i.sessionId, doc.get("sessionId"));
        out.field(where, "role", i.role, doc.get("role"));
        out.field(where, "request", i.request, doc.get("request"));
        out.field(where, "response", i.response, doc.get("response"));
        out.field(where, "context", i.context, doc.get("context"));
        out.field(where, "metadata", i.metadata, doc.get("metadata"));
        out.field(where, "processingTimeMs", i.processingTimeMs, doc.get("processingTimeMs"));
        out.field(where, "cacheStrategy", i.strategy, doc.get("cacheStrategy"));
        out.time(where, "recordedAt", i.recorded ? i.recordedAt : null, doc.get("recordedAt"));
        out.field(where, "eventId", i.eventId, doc.get("eventId"));
        out.field(where, "evaluationData", i.evaluationData, doc.get("evaluationData"));
        out.time(where, "evaluatedAt", i.evaluatedAt, doc.get("evaluatedAt"));
        out.field(where, "lastEvaluationId", i.lastEvaluationId, doc.get("lastEvaluationId"));
        Map<?, ?> versions = doc.get("versions") instanceof Map<?, ?> m ? m : Map.of();
        out.field(where, "versions.interactions", i.offset, orMinusOne(versions.get("interactions")));
    }

    private static void evaluation(EvaluationExpect e, Map<String, Object> doc, Differences out) {
        String where = "evaluations/" + e.id();
        if (e.erased()) {
            if (doc != null) {
                out.wrong(where, "still there after its session was deleted");
            }
            return;
        }
        if (doc == null) {
            out.lost(where, "no document");
            return;
        }
        out.field(where, "sessionId", e.sessionId(), doc.get("sessionId"));
        out.field(where, "entityId", e.entityId(), doc.get("entityId"));
        out.field(where, "entityType", e.entityType(), doc.get("entityType"));
        out.field(where, "evaluationData", e.evaluationData(), doc.get("evaluationData"));
        out.time(where, "evaluatedAt", e.evaluatedAt(), doc.get("evaluatedAt"));
        out.field(where, "producer", e.producer(), doc.get("producer"));
    }

    private static void unexpected(String collection, Map<String, Map<String, Object>> stored, Map<String, ?> expected,
                                   Differences out) {
        for (String id : stored.keySet()) {
            if (!expected.containsKey(id)) {
                out.wrong(collection + "/" + id, "a document no event of the topics asked for");
            }
        }
    }

    private static Object orZero(Object count) {
        return count == null ? 0 : count;
    }

    private static Object orMinusOne(Object version) {
        return version == null ? -1 : version;
    }
}
