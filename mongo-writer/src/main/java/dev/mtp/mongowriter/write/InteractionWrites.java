package dev.mtp.mongowriter.write;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.mongowriter.document.Fields;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * interaction.recorded: the interaction document, and its session's interaction summary.
 *
 * <p>The document is written whole by the last event of the batch for that interaction id (a re-recorded
 * interaction replaces the earlier one), guarded by {@code versions.interactions}; {@code $min} keeps in
 * {@code versions.interactionsFirst} the offset of the event that created it.
 *
 * <p>The summary on the session document counts distinct interaction ids: an event adds one only if it created
 * its interaction document, and the whole summary write is guarded by the session's {@code versions.interactions},
 * so neither a redelivery, a replay nor a re-recorded id inflates the count.
 */
public final class InteractionWrites {
    private InteractionWrites() {}

    /** The interaction document from one interaction id's events of the batch (offset order). */
    public static PlannedWrite document(WriteContext ctx, String interactionId, List<SourcedEvent> events) {
        SourcedEvent last = events.get(events.size() - 1);
        EventEnvelope event = last.event();
        InteractionRecorded payload = (InteractionRecorded) event.payload();
        Document set = new Document()
                .append(Fields.SESSION_ID, event.sessionId())
                .append(Fields.ROLE, payload.role())
                .append(Fields.REQUEST, payload.request())
                .append(Fields.RESPONSE, payload.response())
                .append(Fields.CONTEXT, ctx.codec().encode(payload.context()))
                .append(Fields.METADATA, ctx.codec().encode(payload.metadata()))
                .append(Fields.PROCESSING_TIME_MS, payload.processingTimeMs())
                .append(Fields.CACHE_STRATEGY, event.cacheStrategy())
                .append(Fields.RECORDED_AT, Date.from(event.occurredAt()))
                .append(Fields.EVENT_ID, event.eventId().toString())
                .append(Fields.version(TopicRole.INTERACTIONS), last.offset())
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt());
        Document update = new Document("$set", set)
                .append("$min", new Document(Fields.FIRST_INTERACTION_VERSION, events.get(0).offset()))
                .append("$setOnInsert", Guards.otherVersionsOnInsert(TopicRole.INTERACTIONS, Guards.INTERACTION_TOPICS));
        UpdateOneModel<Document> model = new UpdateOneModel<>(
                Guards.newer(interactionId, TopicRole.INTERACTIONS, last.offset()), update, new UpdateOptions().upsert(true));
        return new PlannedWrite(PlannedWrite.Kind.INTERACTION_DOCUMENT, Target.INTERACTIONS, interactionId, model, events,
                stored -> {
                    if (stored != null && Guards.storedVersion(stored, TopicRole.INTERACTIONS) >= last.offset()) {
                        return PlannedWrite.Resolution.done(events);
                    }
                    // A concurrent insert of the same id (an evaluation attached first): the guard did not lose.
                    return PlannedWrite.Resolution.retry(document(ctx, interactionId, events));
                });
    }

    /**
     * The session's interaction summary from its interaction events of the batch (offset order).
     *
     * @param creators the events that created their interaction document
     */
    public static PlannedWrite summary(WriteContext ctx, String sessionId, List<SourcedEvent> events,
                                       Set<SourcedEvent> creators) {
        SourcedEvent last = events.get(events.size() - 1);
        int created = (int) events.stream().filter(creators::contains).count();
        Date oldest = events.stream().map(e -> Date.from(e.event().occurredAt())).min(Date::compareTo).orElseThrow();
        Document update = new Document("$set", new Document()
                .append(Fields.LAST_INTERACTION_ID, last.event().entityId())
                .append(Fields.LAST_ACTIVITY_AT, Date.from(last.event().occurredAt()))
                .append(Fields.version(TopicRole.INTERACTIONS), last.offset())
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt()))
                .append("$inc", new Document(Fields.INTERACTION_COUNT, created))
                .append("$setOnInsert", Guards.otherVersionsOnInsert(TopicRole.INTERACTIONS, Guards.SESSION_TOPICS)
                        .append(Fields.EVALUATION_COUNT, 0));
        UpdateOneModel<Document> model = new UpdateOneModel<>(
                Guards.newerAndLive(sessionId, TopicRole.INTERACTIONS, events.get(0).offset(), oldest), update,
                new UpdateOptions().upsert(true));
        return new PlannedWrite(PlannedWrite.Kind.INTERACTION_SUMMARY, Target.SESSIONS, sessionId, model, events,
                stored -> resolveSummary(stored, TopicRole.INTERACTIONS, sessionId, events,
                        rest -> summary(ctx, sessionId, rest, creators)));
    }

    /**
     * Shared by the interaction and evaluation summaries: drops events older than the session's deletion (and
     * removes what the batch wrote for them), drops events already applied, and retries the rest.
     */
    static PlannedWrite.Resolution resolveSummary(Document stored, TopicRole topic, String sessionId,
                                                  List<SourcedEvent> events,
                                                  java.util.function.Function<List<SourcedEvent>, PlannedWrite> replan) {
        long applied = Guards.storedVersion(stored, topic);
        Date deletedAt = stored == null ? null : stored.getDate(Fields.DELETED_AT);
        List<SourcedEvent> rest = new ArrayList<>();
        List<SourcedEvent> skipped = new ArrayList<>();
        boolean erased = false;
        for (SourcedEvent e : events) {
            if (deletedAt != null && !Date.from(e.event().occurredAt()).after(deletedAt)) {
                erased = true;
                skipped.add(e);
            } else if (e.offset() <= applied) {
                skipped.add(e);
            } else {
                rest.add(e);
            }
        }
        List<PlannedWrite> cleanups = erased ? ErasureWrites.plan(sessionId, deletedAt) : List.of();
        List<PlannedWrite> retry = rest.isEmpty() ? List.of() : List.of(replan.apply(rest));
        return new PlannedWrite.Resolution(retry, skipped, cleanups);
    }
}
