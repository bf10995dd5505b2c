package dev.mtp.ops.export;

import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;

import java.time.Instant;
import java.util.Map;

/**
 * One exported evaluation: the event's fields flattened for a table, and where it was on the topic (its partition,
 * offset and timestamp), which identify it as well as its eventId.
 */
public record EvaluationRow(String eventId, String sessionId, String entityType, String entityId, Instant occurredAt,
                            String producer, Map<String, Object> evaluationData, int kafkaPartition, long kafkaOffset,
                            long kafkaTimestamp) {

    /** The columns, in order, as every format names them. */
    public static final String[] COLUMNS = {"eventId", "sessionId", "entityType", "entityId", "occurredAt", "producer",
            "evaluationData", "kafkaPartition", "kafkaOffset", "kafkaTimestamp"};

    public static EvaluationRow of(EventEnvelope event, int partition, long offset, long timestamp) {
        if (!(event.payload() instanceof EvaluationRecorded evaluation)) {
            throw new IllegalArgumentException("a " + event.type().wireName() + " event is not an evaluation");
        }
        return new EvaluationRow(event.eventId().toString(), event.sessionId(),
                evaluation.entityType().json(), event.entityId(),
                event.occurredAt(), event.producer(), evaluation.evaluationData(), partition, offset, timestamp);
    }
}
