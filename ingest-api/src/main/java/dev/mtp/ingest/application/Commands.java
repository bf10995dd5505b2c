package dev.mtp.ingest.application;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;

import java.util.Map;

/** The inputs of the ingest's use cases, already parsed and validated by an inbound adapter. */
public final class Commands {
    private Commands() {}

    public record PersistSession(String sessionId, String userId, String status, Map<String, Object> context,
                                 Map<String, Object> metadata, SessionCacheStrategy cacheStrategy) {}

    public record UpdateSession(String sessionId, String userId, String status, Map<String, Object> context,
                                Map<String, Object> metadata, SessionCacheStrategy cacheStrategy) {}

    public record PersistInteraction(String interactionId, String sessionId, String role, String request,
                                     String response, Map<String, Object> context, Map<String, Object> metadata,
                                     Long processingTimeMs, InteractionCacheStrategy cacheStrategy) {}

    public record PersistEvaluation(String entityId, EntityType entityType, String sessionId,
                                    Map<String, Object> evaluationData) {}
}
