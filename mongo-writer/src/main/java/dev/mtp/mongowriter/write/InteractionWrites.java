package dev.mtp.mongowriter.write;

import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.model.UpdateOptions;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.documents.Fields;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * interaction.recorded: the interaction document, and its session's interaction summary.
 *
 * <p>The document is written whole by the last event of the batch for that interaction id (a re-recorded
 * interaction replaces the earlier one), planned from {@code versions.interactions} and CAS-guarded on the
 * document's revision ({@link Guards}); {@code $min} keeps in {@code versions.interactionsFirst} the offset of the
 * event that created it.
 *
 * <p>The summary on the session document counts distinct interaction ids: an event adds one only if it created
 * its interaction document, and the whole summary write carries only events newer than the session's
 * {@code versions.interactions}, CAS-guarded on its revision, so neither a redelivery, a replay nor a re-recorded
 * id inflates the count.
 */
public final class InteractionWrites {
    private InteractionWrites() {}

    /** The interaction document from one interaction id's events of the batch (offset order). */
    public static PlannedWrite.Resolution document(WriteContext ctx, String interactionId, List<SourcedEvent> all,
                                                   Known known) {
        VersionSplit split = VersionSplit.of(all, known, TopicRole.INTERACTIONS);
        List<SourcedEvent> events = split.newer();
        List<SourcedEvent> skipped = split.applied();
        boolean hadNoInteraction = known.version(TopicRole.INTERACTIONS) == Known.ABSENT;
        if (events.isEmpty()) {
            return PlannedWrite.Resolution.done(skipped);
        }
        SourcedEvent last = events.get(events.size() - 1);
        long first = events.get(0).offset();
        long rev = Guards.next(known);
        WriteModel<Document> model;
        if (!known.exists()) {
            // Believed new (the common case): a plain insert, the cheapest write; if the document exists after
            // all, the insert loses with E11000 like a CAS and is re-planned from the stored versions. Built as the
            // stored document at once, not as a $set turned into one.
            model = new InsertOneModel<>(content(new Document(Fields.ID, interactionId), ctx, last.event())
                    .append(Fields.REV, rev)
                    .append(Fields.VERSIONS, new Document(TopicRole.INTERACTIONS.baseName(), last.offset())
                            .append(Fields.FIRST_INTERACTION_KEY, first)
                            .append(TopicRole.EVALUATIONS.baseName(), Known.ABSENT)));
        } else {
            Document set = content(new Document(), ctx, last.event())
                    .append(Fields.version(TopicRole.INTERACTIONS), last.offset())
                    .append(Fields.REV, rev);
            Document update = new Document("$set", set)
                    .append("$min", new Document(Fields.FIRST_INTERACTION_VERSION, first))
                    .append("$setOnInsert", Guards.otherVersionsOnInsert(TopicRole.INTERACTIONS, Guards.INTERACTION_TOPICS));
            model = new UpdateOneModel<>(Guards.cas(interactionId, known), update, new UpdateOptions().upsert(true));
        }
        PlannedWrite write = new PlannedWrite(PlannedWrite.Kind.INTERACTION_DOCUMENT, Target.INTERACTIONS, interactionId,
                model, events, stored -> document(ctx, interactionId, events, stored),
                (k, inserted) -> {
                    // The CAS matched the version known before, so the document had no interaction exactly when
                    // that version was ABSENT: then the first event written created it.
                    if (hadNoInteraction) {
                        k.interactionsFirst(first);
                    }
                    k.written(TopicRole.INTERACTIONS, last.offset(), rev, inserted);
                });
        return new PlannedWrite.Resolution(List.of(write), skipped, List.of());
    }

    /** The fields an interaction event writes, appended to {@code doc} (a new document or a {@code $set}). */
    private static Document content(Document doc, WriteContext ctx, EventEnvelope event) {
        InteractionRecorded payload = (InteractionRecorded) event.payload();
        return doc
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
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt());
    }

    /**
     * The session's interaction summary from its interaction events (offset order; of this batch, and of earlier
     * batches when held back), given what is known of the session document. Only events that created their
     * interaction document ({@link LaneEvent#creator()}) count.
     */
    public static PlannedWrite.Resolution summary(WriteContext ctx, String sessionId, List<LaneEvent> all, Known known) {
        return lane(TopicRole.INTERACTIONS, sessionId, all, known, events -> {
            LaneEvent last = events.get(events.size() - 1);
            long rev = Guards.next(known);
            int created = 0;
            for (LaneEvent e : events) {
                if (e.creator()) {
                    created++;
                }
            }
            Document update = new Document("$set", new Document()
                    .append(Fields.LAST_INTERACTION_ID, last.entityId())
                    .append(Fields.LAST_ACTIVITY_AT, last.occurredAt())
                    .append(Fields.version(TopicRole.INTERACTIONS), last.offset())
                    .append(Fields.REV, rev)
                    .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                    .append(Fields.WRITTEN_AT, ctx.writtenAt()))
                    .append("$inc", new Document(Fields.INTERACTION_COUNT, created))
                    .append("$setOnInsert", Guards.otherVersionsOnInsert(TopicRole.INTERACTIONS, Guards.SESSION_TOPICS)
                            .append(Fields.EVALUATION_COUNT, 0)
                            .append(Fields.DELETED_AT, null));
            UpdateOneModel<Document> model = new UpdateOneModel<>(Guards.cas(sessionId, known), update,
                    new UpdateOptions().upsert(true));
            return new PlannedWrite(PlannedWrite.Kind.INTERACTION_SUMMARY, Target.SESSIONS, sessionId, model,
                    sources(events), stored -> summary(ctx, sessionId, events, stored),
                    (k, inserted) -> k.written(TopicRole.INTERACTIONS, last.offset(), rev, inserted), anyHeld(events));
        });
    }

    /** Builds a summary write for the events not applied yet (the known revision guards it). */
    @FunctionalInterface
    interface LaneWrite {
        PlannedWrite build(List<LaneEvent> events);
    }

    /**
     * Shared by the interaction and evaluation summaries: drops events older than the session's deletion (and
     * removes what was written for them), skips events already applied, and writes the rest.
     */
    static PlannedWrite.Resolution lane(TopicRole topic, String sessionId, List<LaneEvent> all, Known known,
                                        LaneWrite write) {
        long applied = known.version(topic);
        Date deletedAt = known.deletedAt();
        List<LaneEvent> rest = new ArrayList<>(all.size());
        List<SourcedEvent> skipped = new ArrayList<>();
        boolean erased = false;
        for (LaneEvent e : all) {
            if (deletedAt != null && !e.occurredAt().after(deletedAt)) {
                erased = true;
                addSource(skipped, e);
            } else if (e.offset() <= applied) {
                addSource(skipped, e);
            } else {
                rest.add(e);
            }
        }
        List<PlannedWrite> cleanups = erased ? ErasureWrites.plan(sessionId, deletedAt) : List.of();
        List<PlannedWrite> writes = rest.isEmpty() ? List.of() : List.of(write.build(rest));
        return new PlannedWrite.Resolution(writes, skipped, cleanups);
    }

    /** The events of the batch in hand among {@code events} (those held back from earlier batches have none). */
    static List<SourcedEvent> sources(List<LaneEvent> events) {
        List<SourcedEvent> sources = new ArrayList<>(events.size());
        events.forEach(e -> addSource(sources, e));
        return sources;
    }

    static boolean anyHeld(List<LaneEvent> events) {
        for (LaneEvent e : events) {
            if (e.source() == null) {
                return true;
            }
        }
        return false;
    }

    private static void addSource(List<SourcedEvent> to, LaneEvent e) {
        if (e.source() != null) {
            to.add(e.source());
        }
    }
}
