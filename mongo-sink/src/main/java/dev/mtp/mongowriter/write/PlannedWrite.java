package dev.mtp.mongowriter.write;

import com.mongodb.client.model.WriteModel;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;

import java.util.List;
import java.util.Objects;

/**
 * One write of a batch (mongo-kafka's "one result object per record", for a write that may stand for several
 * records): the write model, the records whose effect it carries, and what to do when its version guard loses
 * (E11000 on the guarded upsert). A data error on the write dead-letters exactly {@link #events()}.
 *
 * @param kind     which strategy made it; decides how the writer reads its outcome
 * @param target   the collection
 * @param id       the {@code _id} it writes, or null for a multi-document write (erasure)
 * @param model    the driver's write model
 * @param events   the records it applies, in offset order
 * @param resolver what to do once the stored document is read after the guard lost
 * @param applied  what the writer now knows of the document once the write succeeded (for the next CAS)
 * @param heldBack it also carries events of earlier batches, held back to coalesce them ({@link LaneEvent}); those
 *                 are not in {@code events}, so a data error on it cannot be dead-lettered record by record
 * @param supersedes the fields of another incarnation of its topic it replaces (docs/decisions/0012), or null
 */
public record PlannedWrite(Kind kind, Target target, String id, WriteModel<Document> model, List<SourcedEvent> events,
                           ConflictResolver resolver, Applied applied, boolean heldBack, Supersession supersedes) {

    public PlannedWrite(Kind kind, Target target, String id, WriteModel<Document> model, List<SourcedEvent> events,
                        ConflictResolver resolver, Applied applied) {
        this(kind, target, id, model, events, resolver, applied, false, null);
    }

    /**
     * A write of {@code topic}'s fields at {@code by} over fields another incarnation of that topic wrote
     * ({@code stored}, {@link dev.mtp.common.version.Incarnation#UNKNOWN} when written before incarnations were
     * recorded): applied whatever the offsets, counted and logged apart.
     */
    public record Supersession(TopicRole topic, Version stored, Version by) {

        /** The supersession when the first version a write applies crosses an incarnation, else null. */
        static Supersession of(TopicRole topic, Version stored, Version by) {
            return VersionRule.crossesIncarnation(by, stored) ? new Supersession(topic, stored, by) : null;
        }
    }

    public PlannedWrite {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(model, "model");
        events = List.copyOf(events);
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(applied, "applied");
    }

    /** Updates what is known of the document after the write succeeded; {@code inserted}: it created it. */
    @FunctionalInterface
    public interface Applied {
        void update(Known known, boolean inserted);

        Applied NOTHING = (known, inserted) -> { };
    }

    /** The strategies; each one is a class of this package. */
    public enum Kind {
        /** The session fields, folded from the batch's sessions-topic events of one session. */
        SESSION_FOLD,
        /** An interaction document. */
        INTERACTION_DOCUMENT,
        /** A session's interaction count, last interaction and last activity. */
        INTERACTION_SUMMARY,
        /** An evaluation document. */
        EVALUATION_DOCUMENT,
        /** The latest evaluation data attached to an interaction document. */
        EVALUATION_ON_INTERACTION,
        /** A session's evaluation count, last evaluation, and its own latest evaluation data. */
        EVALUATION_SUMMARY,
        /** Removal of a deleted session's interactions and evaluations up to the deletion time. */
        ERASURE,
        /**
         * A compare-and-set that changes nothing, on a session whose summary already counted a document this batch
         * created again: it loses if the session changed since its known revision (deleted, maybe), and the re-plan
         * then sees what is stored.
         */
        SESSION_RECHECK
    }

    /**
     * Decides what a write whose version guard lost becomes, given what the stored document holds (read after
     * the loss), or what the writes re-planned before it in the same bulk will leave ({@link DocumentChain}).
     */
    @FunctionalInterface
    public interface ConflictResolver {
        Resolution resolve(Known stored);

        /** For writes that cannot lose a guard (no guard, or insert-if-absent): already applied. */
        ConflictResolver ALREADY_APPLIED = stored -> Resolution.done(List.of());
    }

    /**
     * The plan for some events given what is known of their document: the write of those not applied yet (none
     * when all are), the events found applied or stale, and clean-ups. Planning and re-planning after a lost CAS
     * are the same function of what is known.
     *
     * @param retry    writes to issue (the events not applied yet, with their CAS)
     * @param skipped  records found duplicate, stale or erased, with why: nothing to do for them
     * @param cleanups writes that undo effects the stored state says must not exist (erased sessions)
     */
    public record Resolution(List<PlannedWrite> retry, List<Skipped> skipped, List<PlannedWrite> cleanups) {
        public Resolution {
            retry = List.copyOf(retry);
            skipped = List.copyOf(skipped);
            cleanups = List.copyOf(cleanups);
        }

        public static Resolution done(List<Skipped> skipped) {
            return new Resolution(List.of(), skipped, List.of());
        }

        public static Resolution retry(PlannedWrite write) {
            return new Resolution(List.of(write), List.of(), List.of());
        }

    }
}
