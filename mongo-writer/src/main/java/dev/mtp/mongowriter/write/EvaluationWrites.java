package dev.mtp.mongowriter.write;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.mongowriter.document.Fields;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;

import java.util.Date;
import java.util.List;

/**
 * evaluation.recorded: the evaluation document (for analysts), the evaluation data attached to the evaluated
 * interaction, and the session's evaluation summary (with the data attached to the session itself).
 *
 * <p>Evaluations are immutable and their id is the event id, so the evaluation document is inserted if absent
 * ({@code $setOnInsert} only): a redelivery or a replay finds it and changes nothing. The attached data is the
 * latest evaluation's (seed: {@code setEvaluationData}), guarded by {@code versions.evaluations}.
 */
public final class EvaluationWrites {
    private EvaluationWrites() {}

    public static PlannedWrite document(WriteContext ctx, SourcedEvent sourced) {
        EventEnvelope event = sourced.event();
        EvaluationRecorded payload = (EvaluationRecorded) event.payload();
        String id = event.eventId().toString();
        Document doc = new Document()
                .append(Fields.ENTITY_ID, event.entityId())
                .append(Fields.ENTITY_TYPE, payload.entityType().json())
                .append(Fields.SESSION_ID, event.sessionId())
                .append(Fields.EVALUATION_DATA, ctx.codec().encode(payload.evaluationData()))
                .append(Fields.EVALUATED_AT, Date.from(event.occurredAt()))
                .append(Fields.PRODUCER, event.producer())
                .append(Fields.SOURCE, new Document("topic", sourced.topic()).append("partition", sourced.partition())
                        .append("offset", sourced.offset()))
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt());
        UpdateOneModel<Document> model = new UpdateOneModel<>(Filters.eq(Fields.ID, id),
                new Document("$setOnInsert", doc), new UpdateOptions().upsert(true));
        return new PlannedWrite(PlannedWrite.Kind.EVALUATION_DOCUMENT, Target.EVALUATIONS, id, model, List.of(sourced),
                PlannedWrite.ConflictResolver.ALREADY_APPLIED);
    }

    /** The latest of one interaction's evaluations of the batch, attached to its document. */
    public static PlannedWrite onInteraction(WriteContext ctx, String interactionId, List<SourcedEvent> events) {
        SourcedEvent last = events.get(events.size() - 1);
        EventEnvelope event = last.event();
        Document onInsert = Guards.otherVersionsOnInsert(TopicRole.EVALUATIONS, Guards.INTERACTION_TOPICS)
                .append(Fields.SESSION_ID, event.sessionId());
        Document update = new Document("$set", attached(ctx, last)
                .append(Fields.LAST_EVALUATION_ID, event.eventId().toString())
                .append(Fields.version(TopicRole.EVALUATIONS), last.offset())
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt()))
                .append("$setOnInsert", onInsert);
        UpdateOneModel<Document> model = new UpdateOneModel<>(
                Guards.newer(interactionId, TopicRole.EVALUATIONS, last.offset()), update, new UpdateOptions().upsert(true));
        return new PlannedWrite(PlannedWrite.Kind.EVALUATION_ON_INTERACTION, Target.INTERACTIONS, interactionId, model,
                events, stored -> {
                    if (stored != null && Guards.storedVersion(stored, TopicRole.EVALUATIONS) >= last.offset()) {
                        return PlannedWrite.Resolution.done(events);
                    }
                    return PlannedWrite.Resolution.retry(onInteraction(ctx, interactionId, events));
                });
    }

    /** The session's evaluation count and last evaluation, plus the latest data of those about the session itself. */
    public static PlannedWrite summary(WriteContext ctx, String sessionId, List<SourcedEvent> events) {
        SourcedEvent last = events.get(events.size() - 1);
        Document set = new Document()
                .append(Fields.LAST_EVALUATION_ID, last.event().eventId().toString())
                .append(Fields.version(TopicRole.EVALUATIONS), last.offset())
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt());
        for (int i = events.size() - 1; i >= 0; i--) {
            SourcedEvent e = events.get(i);
            if (((EvaluationRecorded) e.event().payload()).entityType() == EntityType.SESSION) {
                set.putAll(attached(ctx, e));
                break;
            }
        }
        Date oldest = events.stream().map(e -> Date.from(e.event().occurredAt())).min(Date::compareTo).orElseThrow();
        Document update = new Document("$set", set)
                .append("$inc", new Document(Fields.EVALUATION_COUNT, events.size()))
                .append("$setOnInsert", Guards.otherVersionsOnInsert(TopicRole.EVALUATIONS, Guards.SESSION_TOPICS)
                        .append(Fields.INTERACTION_COUNT, 0));
        UpdateOneModel<Document> model = new UpdateOneModel<>(
                Guards.newerAndLive(sessionId, TopicRole.EVALUATIONS, events.get(0).offset(), oldest), update,
                new UpdateOptions().upsert(true));
        return new PlannedWrite(PlannedWrite.Kind.EVALUATION_SUMMARY, Target.SESSIONS, sessionId, model, events,
                stored -> InteractionWrites.resolveSummary(stored, TopicRole.EVALUATIONS, sessionId, events,
                        rest -> summary(ctx, sessionId, rest)));
    }

    private static Document attached(WriteContext ctx, SourcedEvent sourced) {
        EvaluationRecorded payload = (EvaluationRecorded) sourced.event().payload();
        return new Document()
                .append(Fields.EVALUATION_DATA, ctx.codec().encode(payload.evaluationData()))
                .append(Fields.EVALUATED_AT, Date.from(sourced.event().occurredAt()));
    }
}
