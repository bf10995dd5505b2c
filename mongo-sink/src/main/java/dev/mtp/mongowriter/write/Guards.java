package dev.mtp.mongowriter.write;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.documents.Fields;
import org.bson.Document;

import java.util.List;

/**
 * The version guards (docs/decisions/0001, 0006, 0009), as compare-and-set on the document's revision: a write is
 * planned from what the writer believes the document holds ({@link Known}: which events of each topic it has),
 * carries only the events newer than that, and its filter is {@code {_id, rev: <the revision believed>}}; it
 * sets the revision one higher. With upsert, a CAS that finds the document at another revision is an E11000
 * duplicate key (as on mongod): the writer reads the stored document and re-plans (stale, duplicate, partly
 * applied, written by another instance, or deleted since).
 *
 * <p>Equality on exactly the keys of a unique index is what lets mongo-java-server use an index at all (any other
 * predicate next to {@code _id} is a full collection scan there), so {@code {_id, rev}} has its unique index
 * ({@code DocumentIndexes}): one top-level key beside {@code _id} is the cheapest such index to keep up to date
 * on every insert and update. On mongod the {@code _id} index serves these filters either way.
 */
final class Guards {
    private Guards() {}

    /** {@code {_id: id, rev: <known>}}. */
    static Document cas(String id, Known known) {
        return new Document(Fields.ID, id).append(Fields.REV, known.rev());
    }

    /** The revision a write planned from {@code known} leaves. */
    static long next(Known known) {
        return known.rev() + 1;
    }

    /**
     * Appends {@code versions.<topic>} and its incarnation beside it ({@code versions.<topic>Incarnation}) to a
     * {@code $set}: a write that supersedes another incarnation's fields replaces both (docs/decisions/0012).
     */
    static Document setVersion(Document set, TopicRole topic, Version version) {
        return set.append(Fields.version(topic), version.offset())
                .append(Fields.incarnation(topic), version.incarnation().tag());
    }

    /** The same, as keys of a {@code versions} sub-document built whole (a new document). */
    static Document withVersion(Document versions, String key, Version version) {
        return versions.append(key, version.offset())
                .append(Fields.incarnationKey(key), version.incarnation().tag());
    }

    /**
     * {@code $setOnInsert} of the other topics' versions at -1 (no event applied, so no incarnation), so that a new
     * document has every version its shape names.
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
