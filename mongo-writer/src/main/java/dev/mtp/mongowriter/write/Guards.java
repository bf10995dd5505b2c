package dev.mtp.mongowriter.write;

import dev.mtp.common.topic.TopicRole;
import dev.mtp.mongowriter.document.Fields;
import org.bson.Document;

import java.util.Date;
import java.util.List;

/**
 * The version guards (docs/decisions/0001, 0006), as compare-and-set: a write of topic T's fields carries only
 * events newer than the version T last wrote, and its filter is {@code {_id, versions.T: <that version>}}. With
 * upsert, a CAS that finds the document at another version is an E11000 duplicate key (as on mongod): the writer
 * reads the stored version and re-plans (stale, duplicate, partly applied, or written by another instance).
 *
 * <p>Equality on exactly the keys of a unique index is what lets mongo-java-server use an index at all (any other
 * predicate next to {@code _id} is a full collection scan there), so each guard has its unique index
 * ({@code DocumentIndexes}; the interaction document's owners share one, {@link #casInteraction}); on mongod the
 * {@code _id} index serves these filters either way.
 */
final class Guards {
    private Guards() {}

    /** {@code {_id: id, versions.<topic>: expected}}. */
    static Document cas(String id, TopicRole topic, long expected) {
        return new Document(Fields.ID, id).append(Fields.version(topic), expected);
    }

    /**
     * {@code {_id: id, versions.interactions: <known>, versions.evaluations: <known>}}: an interaction document's
     * two owners share one guard index, so a write of either expects both versions as known. Inserting an
     * interaction then keeps two unique indexes up to date on the stand-in instead of three; a write that finds
     * the other owner's version moved since loses like any CAS and is re-planned from the stored versions.
     */
    static Document casInteraction(String id, Known known) {
        return new Document(Fields.ID, id)
                .append(Fields.version(TopicRole.INTERACTIONS), known.version(TopicRole.INTERACTIONS))
                .append(Fields.version(TopicRole.EVALUATIONS), known.version(TopicRole.EVALUATIONS));
    }

    /**
     * {@link #cas} and the session's deletion time as known: a summary of a session that was deleted since (or
     * whose deletion was not known) loses, and its events older than the deletion are dropped on re-planning.
     */
    static Document casLive(String id, TopicRole topic, long expected, Date deletedAt) {
        return cas(id, topic, expected).append(Fields.DELETED_AT, deletedAt);
    }

    /**
     * {@code $setOnInsert} of the other topics' versions at -1 (no event applied), so that their CAS finds the
     * version it expects of a document it has not written yet.
     */
    static Document otherVersionsOnInsert(TopicRole owner, List<TopicRole> documentTopics) {
        Document onInsert = new Document();
        for (TopicRole topic : documentTopics) {
            if (topic != owner) {
                onInsert.append(Fields.version(topic), Known.ABSENT);
            }
        }
        return onInsert;
    }

    static final List<TopicRole> SESSION_TOPICS = List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);
    static final List<TopicRole> INTERACTION_TOPICS = List.of(TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);
}
