package dev.mtp.ingest.application;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;

import java.util.Map;

/** The inputs of the ingest's use cases, already validated by {@link Requests}. */
public final class Commands {
    private Commands() {}

    /** Any write; a batch is a list of these. */
    public sealed interface Write permits PersistSession, UpdateSession, PersistInteraction, PersistEvaluation {}

    public record PersistSession(String sessionId, String userId, String status, Map<String, Object> context,
                                 Map<String, Object> metadata, SessionCacheStrategy cacheStrategy) implements Write {}

    public record UpdateSession(String sessionId, String userId, String status, Map<String, Object> context,
                                Map<String, Object> metadata, SessionCacheStrategy cacheStrategy) implements Write {}

    public record PersistInteraction(String interactionId, String sessionId, String role, String request,
                                     String response, Map<String, Object> context, Map<String, Object> metadata,
                                     Long processingTimeMs, InteractionCacheStrategy cacheStrategy) implements Write {}

    public record PersistEvaluation(String entityId, EntityType entityType, String sessionId,
                                    Map<String, Object> evaluationData) implements Write {}
}
