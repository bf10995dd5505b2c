package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * An assessment of a session or an interaction (seed: persist_evaluation), stored in MongoDB only.
 * The evaluated entity is the envelope's entityId; the evaluation's own id is the envelope's eventId.
 */
public record EvaluationRecorded(
        @JsonProperty(required = true) EntityType entityType,
        @JsonProperty(required = true) Map<String, Object> evaluationData) implements EventPayload {

    public EvaluationRecorded {
        if (entityType == null) {
            throw new InvalidEventException("payload.entityType", "is required");
        }
        if (evaluationData == null || evaluationData.isEmpty()) {
            throw new InvalidEventException("payload.evaluationData", "is required and must not be empty");
        }
        evaluationData = UserMaps.copyOf(evaluationData);
    }
}
