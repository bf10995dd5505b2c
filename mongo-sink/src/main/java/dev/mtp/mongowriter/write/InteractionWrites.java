package dev.mtp.mongowriter.write;

import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.model.UpdateOptions;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
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
 * document's revision ({@link Guards}); {@code versions.interactionsFirst} keeps the version (offset and incarnation)
 * of the event that created it.
 *
 * <p>The summary on the session document counts distinct interaction ids: an event adds one only if it created
 * its interaction document, and the whole summary write carries only events that apply over the session's
 * {@code versions.interactions}, CAS-guarded on its revision, so neither a redelivery, a replay, a re-recorded id nor
 * the same events consumed again from another incarnation of the topic (docs/decisions/0012) inflates the count.
 */
public final class InteractionWrites {
    private InteractionWrites() {}

    /** The interaction document from one interaction id's events of the batch (offset order). */
    public static PlannedWrite.Resolution document(WriteContext ctx, String interactionId, List<SourcedEvent> all,
                                                   Known known) {
        Version stored = known.version(TopicRole.INTERACTIONS);
        VersionSplit split = VersionSplit.of(all, stored);
        List<SourcedEvent> events = split.newer();
        List<Skipped> skipped = split.skipped();
        boolean hadNoInteraction = stored.isNone();
        if (events.isEmpty()) {
            return PlannedWrite.Resolution.done(skipped);
        }
        SourcedEvent last = events.get(events.size() - 1);
        Version first = events.get(0).version();
        long rev = Guards.next(known);
        WriteModel<Document> model;
        if (!known.exists()) {
            // Believed new (the common case): a plain insert, the cheapest write; if the document exists after
            // all, the insert loses with E11000 like a CAS and is re-planned from the stored versions. Built as the
            // stored document at once, not as a $set turned into one.
            Document versions = Guards.withVersion(new Document(), TopicRole.INTERACTIONS.baseName(), last.version());
            Guards.withVersion(versions, Fields.FIRST_INTERACTION_KEY, first)
                    .append(TopicRole.EVALUATIONS.baseName(), Known.ABSENT);
            model = new InsertOneModel<>(content(new Document(Fields.ID, interactionId), ctx, last.event())
                    .append(Fields.REV, rev)
                    .append(Fields.VERSIONS, versions));
        } else {
            Document set = Guards.setVersion(content(new Document(), ctx, last.event()), TopicRole.INTERACTIONS,
                    last.version()).append(Fields.REV, rev);
            Document onInsert = Guards.otherVersionsOnInsert(TopicRole.INTERACTIONS, Guards.INTERACTION_TOPICS);
            // The document keeps the version of the event that created it: set now if it had no interaction (only
            // evaluation data attached); kept if it had one, whatever its incarnation (the id was counted then).
            (hadNoInteraction ? set : onInsert).append(Fields.FIRST_INTERACTION_VERSION, first.offset())
                    .append(Fields.FIRST_INTERACTION_INCARNATION, first.incarnation().tag());
            Document update = new Document("$set", set).append("$setOnInsert", onInsert);
            model = new UpdateOneModel<>(Guards.cas(interactionId, known), update, new UpdateOptions().upsert(true));
        }
        PlannedWrite write = new PlannedWrite(PlannedWrite.Kind.INTERACTION_DOCUMENT, Target.INTERACTIONS, interactionId,
                model, events, again -> document(ctx, interactionId, events, again),
                (k, inserted) -> {
                    // The CAS matched the revision known before, so the document had no interaction exactly when
                    // that version was none (or it was created now): then the first event written created it.
                    if (hadNoInteraction || inserted) {
                        k.interactionsFirst(first);
                    }
                    k.written(TopicRole.INTERACTIONS, last.version(), rev, inserted);
                }, false, PlannedWrite.Supersession.of(TopicRole.INTERACTIONS, stored, first));
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
        return lane(TopicRole.INTERACTIONS, sessionId, all, known, again -> summary(ctx, sessionId, all, again),
                (events, supersedes) -> {
            LaneEvent last = events.get(events.size() - 1);
            long rev = Guards.next(known);
            int created = 0;
            for (LaneEvent e : events) {
                if (e.creator()) {
                    created++;
                }
            }
            Document update = new Document("$set", Guards.setVersion(new Document()
                    .append(Fields.LAST_INTERACTION_ID, last.entityId())
                    .append(Fields.LAST_ACTIVITY_AT, last.occurredAt()), TopicRole.INTERACTIONS, last.version())
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
                    sources(events), again -> summary(ctx, sessionId, events, again),
                    (k, inserted) -> k.written(TopicRole.INTERACTIONS, last.version(), rev, inserted), anyHeld(events),
                    supersedes);
        });
    }

    /**
     * Builds a summary write for the events that apply (the known revision guards it); {@code supersedes}: they
     * replace the summary another incarnation of the topic wrote, else null.
     */
    @FunctionalInterface
    interface LaneWrite {
        PlannedWrite build(List<LaneEvent> events, PlannedWrite.Supersession supersedes);
    }

    /**
     * Shared by the interaction and evaluation summaries: drops events older than the session's deletion (and
     * removes what was written for them), skips duplicate and stale events, and writes the rest.
     *
     * <p>An event that created its document now, although the summary counted it before, means the document was
     * removed since: most likely by the session's deletion, which the known revision (remembered, not read) may not
     * show yet. Then a compare-and-set that changes nothing checks the revision, and should it lose, {@code replan}
     * plans again from what is stored, deletion and clean-up included. Without it a replay, or a redelivery to a
     * writer that remembers the session from before its deletion, would bring erased documents back.
     */
    static PlannedWrite.Resolution lane(TopicRole topic, String sessionId, List<LaneEvent> all, Known known,
                                        PlannedWrite.ConflictResolver replan, LaneWrite write) {
        Version applied = known.version(topic);
        Date deletedAt = known.deletedAt();
        List<LaneEvent> rest = new ArrayList<>(all.size());
        List<Skipped> skipped = new ArrayList<>();
        boolean erased = false;
        boolean createdAgain = false;
        for (LaneEvent e : all) {
            if (deletedAt != null && !e.occurredAt().after(deletedAt)) {
                erased = true;
                if (e.source() != null) {
                    skipped.add(new Skipped(e.source(), Skipped.Reason.ERASED, applied));
                }
                continue;
            }
            Decision decision = VersionRule.decide(e.version(), applied, OtherIncarnations.SUPERSEDE);
            if (decision == Decision.APPLY) {
                rest.add(e);
            } else {
                createdAgain |= e.creator();
                if (e.source() != null) {
                    skipped.add(Skipped.of(e.source(), decision, applied));
                }
            }
        }
        List<PlannedWrite> cleanups = erased ? ErasureWrites.plan(sessionId, deletedAt) : List.of();
        List<PlannedWrite> writes = !rest.isEmpty()
                ? List.of(write.build(rest, PlannedWrite.Supersession.of(topic, applied, rest.get(0).version())))
                : createdAgain && deletedAt == null && known.exists() ? List.of(recheck(sessionId, known, replan))
                : List.of();
        return new PlannedWrite.Resolution(writes, skipped, cleanups);
    }

    /** The session's revision set to itself: matches while the known revision holds, loses (E11000) otherwise. */
    private static PlannedWrite recheck(String sessionId, Known known, PlannedWrite.ConflictResolver replan) {
        UpdateOneModel<Document> model = new UpdateOneModel<>(Guards.cas(sessionId, known),
                new Document("$set", new Document(Fields.REV, known.rev())), new UpdateOptions().upsert(true));
        return new PlannedWrite(PlannedWrite.Kind.SESSION_RECHECK, Target.SESSIONS, sessionId, model, List.of(),
                replan, PlannedWrite.Applied.NOTHING);
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
