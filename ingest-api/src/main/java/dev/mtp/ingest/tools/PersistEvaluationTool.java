package dev.mtp.ingest.tools;

import dev.mtp.common.event.EntityType;
import dev.mtp.ingest.application.Commands;
import dev.mtp.ingest.application.PersistenceService;

import java.util.Map;

/** persist_evaluation: evaluation data of a session or an interaction, stored in MongoDB only. */
public final class PersistEvaluationTool implements Tool {
    private final PersistenceService service;

    public PersistEvaluationTool(PersistenceService service) {
        this.service = service;
    }

    @Override public String name() { return "persist_evaluation"; }

    @Override
    public String description() {
        return "Store evaluation data (scores, sentiment, topics) of a session or an interaction. MongoDB only, never "
                + "cached; published on the evaluations topic for analysts. entityType is session or interaction; "
                + "an interaction's evaluation also needs its sessionId.";
    }

    @Override
    public ToolResult call(ToolArguments arguments) {
        String entityId = arguments.requiredId("entityId");
        EntityType entityType = arguments.optionalParsed("entityType", EntityType::fromJson)
                .orElseThrow(() -> new InvalidArgumentException("entityType", "is required (session or interaction)"));
        String sessionId = entityType == EntityType.SESSION
                ? arguments.optionalId("sessionId").orElse(entityId)
                : arguments.optionalId("sessionId").orElseThrow(() -> new InvalidArgumentException("sessionId",
                        "is required when entityType is interaction"));
        if (entityType == EntityType.SESSION && !sessionId.equals(entityId)) {
            throw new InvalidArgumentException("sessionId", "must equal entityId when entityType is session");
        }
        Map<String, Object> data = arguments.optionalMap("evaluationData")
                .filter(map -> !map.isEmpty())
                .orElseThrow(() -> new InvalidArgumentException("evaluationData", "is required and must not be empty"));
        var command = new Commands.PersistEvaluation(entityId, entityType, sessionId, data);
        return Acknowledgements.of(service.persistEvaluation(command), Map.of("storage", "mongodb-only"));
    }
}
