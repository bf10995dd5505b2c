package dev.mtp.mongowriter.write;

import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.documents.Fields;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;

import java.util.Date;
import java.util.List;

/**
 * evaluation.recorded: the evaluation document (for analysts), the evaluation data attached to the evaluated
 * interaction, and the session's evaluation summary (with the data attached to the session itself).
 *
 * <p>Evaluations are immutable and their id is the event id, so the evaluation document is inserted if absent
 * (an insert; E11000 means it is there): a redelivery or a replay finds it and changes nothing.
 * The attached data is the latest evaluation's (seed: {@code setEvaluationData}), planned from
 * {@code versions.evaluations} and CAS-guarded on the interaction document's revision ({@link Guards}).
 *
 * <p>The session's evaluation count counts the evaluations its summary applies. A summary that supersedes another
 * incarnation's (docs/decisions/0012) counts only evaluations whose document the event itself created
 * ({@link LaneEvent#creator()}): the same events consumed again from another incarnation of the topic (a failover's
 * replayed tail) were counted by the summary they supersede.
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
                .append(Fields.SOURCE, new Document(Fields.SOURCE_TOPIC, sourced.topic())
                        .append(Fields.SOURCE_PARTITION, sourced.partition())
                        .append(Fields.SOURCE_OFFSET, sourced.offset())
                        .append(Fields.SOURCE_INCARNATION, sourced.incarnation().tag()))
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt());
        // Insert if absent: an E11000 means it is there already (a redelivery or a replay), which is done.
        Document inserted = new Document(Fields.ID, id);
        inserted.putAll(doc);
        InsertOneModel<Document> model = new InsertOneModel<>(inserted);
        return new PlannedWrite(PlannedWrite.Kind.EVALUATION_DOCUMENT, Target.EVALUATIONS, id, model, List.of(sourced),
                PlannedWrite.ConflictResolver.ALREADY_APPLIED, PlannedWrite.Applied.NOTHING);
    }

    /** The latest of one interaction's evaluations of the batch, attached to its document. */
    public static PlannedWrite.Resolution onInteraction(WriteContext ctx, String interactionId, List<SourcedEvent> all,
                                                        Known known) {
        Version stored = known.version(TopicRole.EVALUATIONS);
        VersionSplit split = VersionSplit.of(all, stored);
        List<SourcedEvent> events = split.newer();
        List<Skipped> skipped = split.skipped();
        if (events.isEmpty()) {
            return PlannedWrite.Resolution.done(skipped);
        }
        SourcedEvent last = events.get(events.size() - 1);
        EventEnvelope event = last.event();
        long rev = Guards.next(known);
        Document onInsert = Guards.otherVersionsOnInsert(TopicRole.EVALUATIONS, Guards.INTERACTION_TOPICS)
                .append(Fields.SESSION_ID, event.sessionId());
        Document update = new Document("$set", Guards.setVersion(attached(ctx, last)
                .append(Fields.LAST_EVALUATION_ID, event.eventId().toString()), TopicRole.EVALUATIONS, last.version())
                .append(Fields.REV, rev)
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt()))
                .append("$setOnInsert", onInsert);
        UpdateOneModel<Document> model = new UpdateOneModel<>(Guards.cas(interactionId, known), update,
                new UpdateOptions().upsert(true));
        PlannedWrite write = new PlannedWrite(PlannedWrite.Kind.EVALUATION_ON_INTERACTION, Target.INTERACTIONS,
                interactionId, model, events, again -> onInteraction(ctx, interactionId, events, again),
                (k, inserted) -> k.written(TopicRole.EVALUATIONS, last.version(), rev, inserted), false,
                PlannedWrite.Supersession.of(TopicRole.EVALUATIONS, stored, events.get(0).version()));
        return new PlannedWrite.Resolution(List.of(write), skipped, List.of());
    }

    /** The session's evaluation count and last evaluation, plus the latest data of those about the session itself. */
    public static PlannedWrite.Resolution summary(WriteContext ctx, String sessionId, List<LaneEvent> all, Known known) {
        return InteractionWrites.lane(TopicRole.EVALUATIONS, sessionId, all, known,
                again -> summary(ctx, sessionId, all, again), (events, supersedes) -> {
            LaneEvent last = events.get(events.size() - 1);
            long rev = Guards.next(known);
            int counted = supersedes == null ? events.size() : (int) events.stream().filter(LaneEvent::creator).count();
            Document set = Guards.setVersion(new Document(Fields.LAST_EVALUATION_ID, last.eventId()),
                            TopicRole.EVALUATIONS, last.version())
                    .append(Fields.REV, rev)
                    .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                    .append(Fields.WRITTEN_AT, ctx.writtenAt());
            for (int i = events.size() - 1; i >= 0; i--) {
                LaneEvent e = events.get(i);
                if (e.sessionEvaluation() != null) {
                    set.append(Fields.EVALUATION_DATA, ctx.codec().encode(e.sessionEvaluation().evaluationData()))
                            .append(Fields.EVALUATED_AT, e.occurredAt());
                    break;
                }
            }
            Document update = new Document("$set", set)
                    .append("$inc", new Document(Fields.EVALUATION_COUNT, counted))
                    .append("$setOnInsert", Guards.otherVersionsOnInsert(TopicRole.EVALUATIONS, Guards.SESSION_TOPICS)
                            .append(Fields.INTERACTION_COUNT, 0)
                            .append(Fields.DELETED_AT, null));
            UpdateOneModel<Document> model = new UpdateOneModel<>(Guards.cas(sessionId, known), update,
                    new UpdateOptions().upsert(true));
            return new PlannedWrite(PlannedWrite.Kind.EVALUATION_SUMMARY, Target.SESSIONS, sessionId, model,
                    InteractionWrites.sources(events), again -> summary(ctx, sessionId, events, again),
                    (k, inserted) -> k.written(TopicRole.EVALUATIONS, last.version(), rev, inserted),
                    InteractionWrites.anyHeld(events), supersedes);
        });
    }

    /**
     * Whether a stored evaluation document was written by {@code sourced} itself (its source is the event's version),
     * as opposed to the same evaluation consumed earlier from another incarnation, or stored before incarnations were
     * recorded ({@link Incarnation#UNKNOWN}).
     */
    public static boolean createdBy(Document stored, SourcedEvent sourced) {
        if (!(stored.get(Fields.SOURCE) instanceof Document source)
                || !(source.get(Fields.SOURCE_OFFSET) instanceof Number offset)
                || !(source.get(Fields.SOURCE_PARTITION) instanceof Number partition)) {
            return false;
        }
        Object tag = source.get(Fields.SOURCE_INCARNATION);
        Version version = Version.of(Incarnation.parse(tag instanceof String t ? t : null), offset.longValue());
        return partition.intValue() == sourced.partition() && version.equals(sourced.version());
    }

    private static Document attached(WriteContext ctx, SourcedEvent sourced) {
        EvaluationRecorded payload = (EvaluationRecorded) sourced.event().payload();
        return new Document()
                .append(Fields.EVALUATION_DATA, ctx.codec().encode(payload.evaluationData()))
                .append(Fields.EVALUATED_AT, Date.from(sourced.event().occurredAt()));
    }
}
