package dev.mtp.documents;

import dev.mtp.common.event.TopicRole;

import java.util.List;

/**
 * Collection and field names of the documents mongo-writer keeps (docs/decisions/0006-mongodb-document-model.md).
 * Each field belongs to the topic that owns it ({@link dev.mtp.common.version.FieldOwner}); its version lives in
 * {@code versions.<topic>} of the same document, the incarnation of that topic beside it in
 * {@code versions.<topic>Incarnation} (docs/decisions/0012), and {@link #REV} counts the guarded writes of the document.
 */
public final class Fields {
    private Fields() {}

    /**
     * Version of the document shapes below; stored in every document as {@link #SCHEMA_VERSION}. 2 added
     * {@link #REV} ({@code SchemaMigration} brings documents of 1 up to it). The incarnations beside the versions
     * ({@link #incarnation}) are optional within 2: a document without them was written before they were recorded
     * (docs/decisions/0009, "Incarnations: still schema 2").
     */
    public static final int CURRENT_SCHEMA = 2;

    public static final String SESSIONS = "sessions";
    public static final String INTERACTIONS = "interactions";
    public static final String EVALUATIONS = "evaluations";

    // every document
    public static final String ID = "_id";
    public static final String SCHEMA_VERSION = "schemaVersion";
    /** The writer's clock when the document was last changed. */
    public static final String WRITTEN_AT = "writtenAt";
    public static final String VERSIONS = "versions";
    /**
     * sessions and interactions: the document's revision (0: there is none). Every guarded write expects it,
     * whichever topic's fields it carries, and sets it one higher (docs/decisions/0009).
     */
    public static final String REV = "rev";

    // sessions: owned by the sessions topic
    public static final String USER_ID = "userId";
    public static final String STATUS = "status";
    public static final String CACHE_STRATEGY = "cacheStrategy";
    public static final String CONTEXT = "context";
    public static final String METADATA = "metadata";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String CLOSED_AT = "closedAt";
    public static final String CLOSE_REASON = "closeReason";
    public static final String DELETED = "deleted";
    public static final String DELETED_AT = "deletedAt";
    public static final String DELETE_REASON = "deleteReason";
    // sessions: owned by the interactions topic
    public static final String INTERACTION_COUNT = "interactionCount";
    public static final String LAST_INTERACTION_ID = "lastInteractionId";
    public static final String LAST_ACTIVITY_AT = "lastActivityAt";
    // sessions and interactions: owned by the evaluations topic
    public static final String EVALUATION_DATA = "evaluationData";
    public static final String EVALUATED_AT = "evaluatedAt";
    public static final String LAST_EVALUATION_ID = "lastEvaluationId";
    public static final String EVALUATION_COUNT = "evaluationCount";

    // interactions (owned by the interactions topic, except the evaluation fields)
    public static final String SESSION_ID = "sessionId";
    public static final String ROLE = "role";
    public static final String REQUEST = "request";
    public static final String RESPONSE = "response";
    public static final String PROCESSING_TIME_MS = "processingTimeMs";
    public static final String RECORDED_AT = "recordedAt";
    public static final String EVENT_ID = "eventId";

    // evaluations
    public static final String ENTITY_ID = "entityId";
    public static final String ENTITY_TYPE = "entityType";
    public static final String PRODUCER = "producer";
    /** Where the event that inserted the evaluation document was read: {topic, partition, offset, incarnation}. */
    public static final String SOURCE = "source";
    public static final String SOURCE_TOPIC = "topic";
    public static final String SOURCE_PARTITION = "partition";
    public static final String SOURCE_OFFSET = "offset";
    /** The incarnation of the source topic (docs/decisions/0012); absent in documents written before it was stored. */
    public static final String SOURCE_INCARNATION = "incarnation";

    /** Session fields a session.deleted erases, whichever topic owns them; the versions stay as high-water marks. */
    public static final List<String> ERASED_SESSION_FIELDS = List.of(USER_ID, STATUS, CACHE_STRATEGY, CONTEXT, METADATA,
            CREATED_AT, CLOSED_AT, CLOSE_REASON, INTERACTION_COUNT, LAST_INTERACTION_ID, LAST_ACTIVITY_AT,
            EVALUATION_DATA, EVALUATED_AT, LAST_EVALUATION_ID, EVALUATION_COUNT);

    /** {@code versions.<topic>}: the offset of the last event of that topic applied to the document. */
    public static String version(TopicRole topic) {
        return VERSIONS + "." + topic.baseName();
    }

    /**
     * {@code versions.<topic>Incarnation}: the incarnation (topic id tag) of the topic whose event wrote
     * {@link #version(TopicRole)}. Absent when no event wrote it (-1), and in documents written before incarnations
     * were recorded: those count as another incarnation (docs/decisions/0012).
     */
    public static String incarnation(TopicRole topic) {
        return VERSIONS + "." + incarnationKey(topic.baseName());
    }

    /** The key of an offset's incarnation inside {@link #VERSIONS}: {@code <offset key>Incarnation}. */
    public static String incarnationKey(String versionKey) {
        return versionKey + "Incarnation";
    }

    /**
     * {@code versions.interactionsFirst} of an interaction document: the offset of the event that created it, with
     * its incarnation in {@link #FIRST_INTERACTION_INCARNATION}. An event counts towards its session's interaction
     * count only if it is that event (same offset, same incarnation), so a re-recorded interaction id, a replay or the
     * same id recorded again under another incarnation never inflates the count.
     */
    public static final String FIRST_INTERACTION_KEY = "interactionsFirst";
    public static final String FIRST_INTERACTION_VERSION = VERSIONS + "." + FIRST_INTERACTION_KEY;
    public static final String FIRST_INTERACTION_INCARNATION = VERSIONS + "." + incarnationKey(FIRST_INTERACTION_KEY);
}
