package dev.mtp.mongowriter.document;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.mtp.common.event.TopicRole;
import dev.mtp.documents.Fields;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The indexes an operator and an analyst would expect, created at start (creating an existing index with the same
 * keys and options is a no-op, so every instance may do it):
 * <ul>
 *   <li>sessions: by user ({@code userId}); by status, most recently updated first.</li>
 *   <li>interactions: a session's interactions in order ({@code sessionId, recordedAt}); also serves erasure.</li>
 *   <li>evaluations: an entity's evaluations, newest first; all evaluations of a type by time; a session's
 *       evaluations (erasure, and per-session analysis).</li>
 * </ul>
 * And the guard indexes: unique {@code {_id, rev}} on sessions and interactions, exactly the keys of the
 * compare-and-set filters, which is what lets mongo-java-server use an index for them at all.
 */
public final class DocumentIndexes {
    private DocumentIndexes() {}

    public static final Map<String, List<IndexModel>> QUERY = Map.of(
            Fields.SESSIONS, List.of(
                    index("userId_1", Indexes.ascending(Fields.USER_ID)),
                    index("status_1_updatedAt_-1", Indexes.compoundIndex(Indexes.ascending(Fields.STATUS),
                            Indexes.descending(Fields.UPDATED_AT)))),
            Fields.INTERACTIONS, List.of(
                    index("sessionId_1_recordedAt_1", Indexes.ascending(Fields.SESSION_ID, Fields.RECORDED_AT))),
            Fields.EVALUATIONS, List.of(
                    index("entityId_1_evaluatedAt_-1", Indexes.compoundIndex(Indexes.ascending(Fields.ENTITY_ID),
                            Indexes.descending(Fields.EVALUATED_AT))),
                    index("entityType_1_evaluatedAt_-1", Indexes.compoundIndex(Indexes.ascending(Fields.ENTITY_TYPE),
                            Indexes.descending(Fields.EVALUATED_AT))),
                    index("sessionId_1_evaluatedAt_-1", Indexes.compoundIndex(Indexes.ascending(Fields.SESSION_ID),
                            Indexes.descending(Fields.EVALUATED_AT)))));

    public static final Map<String, List<IndexModel>> GUARDS = Map.of(
            Fields.SESSIONS, List.of(guard(Fields.ID, Fields.REV)),
            Fields.INTERACTIONS, List.of(guard(Fields.ID, Fields.REV)));

    private static final int INDEX_NOT_FOUND = 27;

    /**
     * Guard indexes of earlier versions that no filter matches any more: per owning topic's version (and the
     * session's deletion time), then one for both owners of an interaction document, until schema 2 (0009).
     */
    static final Map<String, List<String>> RETIRED = Map.of(
            Fields.SESSIONS, List.of(
                    guardName(Fields.ID, Fields.version(TopicRole.SESSIONS)),
                    guardName(Fields.ID, Fields.version(TopicRole.INTERACTIONS), Fields.DELETED_AT),
                    guardName(Fields.ID, Fields.version(TopicRole.EVALUATIONS), Fields.DELETED_AT)),
            Fields.INTERACTIONS, List.of(
                    guardName(Fields.ID, Fields.version(TopicRole.INTERACTIONS)),
                    guardName(Fields.ID, Fields.version(TopicRole.EVALUATIONS)),
                    guardName(Fields.ID, Fields.version(TopicRole.INTERACTIONS), Fields.version(TopicRole.EVALUATIONS))));

    public static void ensure(MongoDatabase database, boolean guards) {
        QUERY.forEach((collection, indexes) -> database.getCollection(collection).createIndexes(indexes));
        if (guards) {
            GUARDS.forEach((collection, indexes) -> database.getCollection(collection).createIndexes(indexes));
        }
        RETIRED.forEach((collection, names) -> dropIfPresent(database.getCollection(collection), names));
    }

    /** Their upkeep is all they would cost. Another instance starting at once may drop one first: that is fine. */
    private static void dropIfPresent(MongoCollection<Document> collection, List<String> names) {
        Set<String> present = collection.listIndexes().map(index -> index.getString("name")).into(new HashSet<>());
        for (String name : names) {
            if (present.contains(name)) {
                try {
                    collection.dropIndex(name);
                } catch (MongoCommandException e) {
                    if (e.getErrorCode() != INDEX_NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
    }

    private static IndexModel index(String name, Bson keys) {
        return new IndexModel(keys, new IndexOptions().name(name));
    }

    private static IndexModel guard(String... keys) {
        return new IndexModel(Indexes.ascending(keys), new IndexOptions().unique(true).name(guardName(keys)));
    }

    private static String guardName(String... keys) {
        return "guard_" + String.join("_", keys);
    }
}
