package dev.mtp.mongowriter.write;

import com.mongodb.client.model.Filters;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.mongowriter.document.Fields;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.Date;
import java.util.List;

/**
 * The version guards (docs/decisions/0001): a write of topic T's fields applies only if the document's
 * {@code versions.T} is below the offset of the first event it carries. With upsert, a losing guard on an
 * existing document is an E11000 duplicate key (as on mongod): stale or duplicate, resolved, never an error.
 */
final class Guards {
    private Guards() {}

    /** {@code {_id: id, versions.<topic>: {$lt: firstOffset}}}. */
    static Bson newer(String id, TopicRole topic, long firstOffset) {
        return Filters.and(Filters.eq(Fields.ID, id), Filters.lt(Fields.version(topic), firstOffset));
    }

    /**
     * {@link #newer} and the session was not deleted at or after {@code oldestEvent}: events of a deleted session
     * that are older than its deletion must not bring its interactions or evaluations back.
     */
    static Bson newerAndLive(String id, TopicRole topic, long firstOffset, Date oldestEvent) {
        return Filters.and(Filters.eq(Fields.ID, id), Filters.lt(Fields.version(topic), firstOffset),
                Filters.not(Filters.gte(Fields.DELETED_AT, oldestEvent)));
    }

    /**
     * {@code $setOnInsert} of the other topics' versions at -1 (no event applied), so their guards ({@code $lt})
     * match once those topics write to the new document.
     */
    static Document otherVersionsOnInsert(TopicRole owner, List<TopicRole> documentTopics) {
        Document onInsert = new Document();
        for (TopicRole topic : documentTopics) {
            if (topic != owner) {
                onInsert.append(Fields.version(topic), -1L);
            }
        }
        return onInsert;
    }

    /** The version stored for {@code topic} in {@code stored}, -1 when absent. */
    static long storedVersion(Document stored, TopicRole topic) {
        if (stored == null) {
            return -1L;
        }
        Object versions = stored.get(Fields.VERSIONS);
        if (versions instanceof Document v && v.get(topic.baseName()) instanceof Number n) {
            return n.longValue();
        }
        return -1L;
    }

    static final List<TopicRole> SESSION_TOPICS = List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);
    static final List<TopicRole> INTERACTION_TOPICS = List.of(TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);
}
