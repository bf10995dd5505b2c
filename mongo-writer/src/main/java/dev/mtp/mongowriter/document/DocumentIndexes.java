package dev.mtp.mongowriter.document;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.mtp.common.topic.TopicRole;
import org.bson.conversions.Bson;

import java.util.List;
import java.util.Map;

/**
 * The indexes an operator and an analyst would expect, created at start (creating an existing index with the same
 * keys and options is a no-op, so every instance may do it):
 * <ul>
 *   <li>sessions: by user ({@code userId}); by status, most recently updated first.</li>
 *   <li>interactions: a session's interactions in order ({@code sessionId, recordedAt}); also serves erasure.</li>
 *   <li>evaluations: an entity's evaluations, newest first; all evaluations of a type by time; a session's
 *       evaluations (erasure, and per-session analysis).</li>
 * </ul>
 * And the guard indexes: unique {@code {_id, versions.<topic>[, deletedAt]}}, exactly the keys of the
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
            Fields.SESSIONS, List.of(
                    guard(Fields.ID, Fields.version(TopicRole.SESSIONS)),
                    guard(Fields.ID, Fields.version(TopicRole.INTERACTIONS), Fields.DELETED_AT),
                    guard(Fields.ID, Fields.version(TopicRole.EVALUATIONS), Fields.DELETED_AT)),
            Fields.INTERACTIONS, List.of(
                    guard(Fields.ID, Fields.version(TopicRole.INTERACTIONS)),
                    guard(Fields.ID, Fields.version(TopicRole.EVALUATIONS))));

    public static void ensure(MongoDatabase database, boolean guards) {
        QUERY.forEach((collection, indexes) -> database.getCollection(collection).createIndexes(indexes));
        if (guards) {
            GUARDS.forEach((collection, indexes) -> database.getCollection(collection).createIndexes(indexes));
        }
    }

    private static IndexModel index(String name, Bson keys) {
        return new IndexModel(keys, new IndexOptions().name(name));
    }

    private static IndexModel guard(String... keys) {
        return new IndexModel(Indexes.ascending(keys), new IndexOptions().unique(true)
                .name("guard_" + String.join("_", keys)));
    }
}
