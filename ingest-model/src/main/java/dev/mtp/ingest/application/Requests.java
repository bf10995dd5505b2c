package dev.mtp.ingest.application;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.StrategyDefaults;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns the fields of a write request into a use case's command, validating every field: the one
 * parser under both inbound adapters (MCP tools and the JSON API), so a rule and its message are
 * the same wherever a request comes in.
 */
public final class Requests {
    public static final int MAX_STATUS_CHARS = 64;
    /** One day: a turn that took longer is a unit mistake (seconds or microseconds sent as ms). */
    public static final long MAX_PROCESSING_TIME_MS = 86_400_000L;

    public static final Set<String> SESSION_FIELDS =
            Set.of("sessionId", "userId", "status", "context", "metadata", "cacheStrategy");
    public static final Set<String> INTERACTION_FIELDS = Set.of("interactionId", "sessionId", "role", "request",
            "response", "context", "metadata", "processingTimeMs", "cacheStrategy");
    public static final Set<String> EVALUATION_FIELDS = Set.of("entityId", "entityType", "sessionId", "evaluationData");

    private final StrategyDefaults defaults;
    private final SessionCacheStrategy sessionDefault;
    private final InteractionCacheStrategy interactionDefault;
    private final Supplier<UUID> ids;

    public Requests(StrategyDefaults defaults, Supplier<UUID> ids) {
        this.defaults = defaults;
        this.sessionDefault = defaults.session();
        this.interactionDefault = defaults.interaction();
        this.ids = ids;
    }

    /** The profile in force and the strategies a write that names none gets. */
    public StrategyDefaults defaults() { return defaults; }
    public SessionCacheStrategy sessionDefault() { return sessionDefault; }
    public InteractionCacheStrategy interactionDefault() { return interactionDefault; }

    public Commands.PersistSession persistSession(Input in) {
        in.allowOnly(SESSION_FIELDS);
        String sessionId = in.requiredId("sessionId");
        String userId = in.requiredId("userId");
        String status = in.optionalString("status", MAX_STATUS_CHARS).orElse("active");
        Map<String, Object> context = in.optionalMap("context").orElse(Map.of());
        Map<String, Object> metadata = in.optionalMap("metadata").orElse(Map.of());
        SessionCacheStrategy strategy = in.optionalParsed("cacheStrategy", SessionCacheStrategy::parse).orElse(sessionDefault);
        return new Commands.PersistSession(sessionId, userId, status, context, metadata, strategy);
    }

    /** An update names its session in {@code sessionId}, or the JSON API's path gives it ({@code pathSessionId}). */
    public Commands.UpdateSession updateSession(Input in, String pathSessionId) {
        in.allowOnly(SESSION_FIELDS);
        String sessionId;
        if (pathSessionId != null) {
            sessionId = pathSessionId;
            in.optionalId("sessionId").filter(id -> !id.equals(pathSessionId)).ifPresent(id -> {
                throw in.invalid("sessionId", "must equal the session id in the path ('" + pathSessionId + "') or be absent");
            });
        } else {
            sessionId = in.requiredId("sessionId");
        }
        var command = new Commands.UpdateSession(sessionId,
                in.optionalId("userId").orElse(null),
                in.optionalString("status", MAX_STATUS_CHARS).orElse(null),
                in.optionalMap("context").orElse(null),
                in.optionalMap("metadata").orElse(null),
                in.optionalParsed("cacheStrategy", SessionCacheStrategy::parse).orElse(null));
        if (command.userId() == null && command.status() == null && command.context() == null
                && command.metadata() == null && command.cacheStrategy() == null) {
            throw in.invalid("(fields)", "give at least one of userId, status, context, metadata, cacheStrategy");
        }
        return command;
    }

    public Commands.PersistInteraction persistInteraction(Input in) {
        in.allowOnly(INTERACTION_FIELDS);
        String interactionId = in.optionalId("interactionId").orElseGet(() -> ids.get().toString());
        String sessionId = in.requiredId("sessionId");
        String role = in.requiredString("role", InteractionRecorded.MAX_ROLE_LENGTH);
        String request = in.optionalText("request").orElse(null);
        String response = in.optionalText("response").orElse(null);
        if (request == null && response == null) {
            throw in.invalid("response", "request or response is required");
        }
        Map<String, Object> context = in.optionalMap("context").orElse(Map.of());
        Map<String, Object> metadata = in.optionalMap("metadata").orElse(Map.of());
        Long processingTimeMs = in.optionalLong("processingTimeMs", 0, MAX_PROCESSING_TIME_MS).orElse(null);
        InteractionCacheStrategy strategy = in.optionalParsed("cacheStrategy", InteractionCacheStrategy::parse)
                .orElse(interactionDefault);
        return new Commands.PersistInteraction(interactionId, sessionId, role, request, response, context, metadata,
                processingTimeMs, strategy);
    }

    public Commands.PersistEvaluation persistEvaluation(Input in) {
        in.allowOnly(EVALUATION_FIELDS);
        String entityId = in.requiredId("entityId");
        EntityType entityType = in.optionalParsed("entityType", EntityType::fromJson)
                .orElseThrow(() -> in.invalid("entityType", "is required (session or interaction)"));
        String sessionId;
        if (entityType == EntityType.SESSION) {
            sessionId = in.optionalId("sessionId").orElse(entityId);
            if (!sessionId.equals(entityId)) {
                throw in.invalid("sessionId", "must equal entityId when entityType is session");
            }
        } else {
            sessionId = in.optionalId("sessionId").orElseThrow(() -> in.invalid("sessionId",
                    "is required when entityType is interaction (events are keyed and ordered by session)"));
        }
        Map<String, Object> data = in.optionalMap("evaluationData")
                .orElseThrow(() -> in.invalid("evaluationData", "is required"));
        if (data.isEmpty()) {
            throw in.invalid("evaluationData", "must not be empty");
        }
        return new Commands.PersistEvaluation(entityId, entityType, sessionId, data);
    }
}
