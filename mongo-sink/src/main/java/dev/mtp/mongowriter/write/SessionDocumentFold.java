package dev.mtp.mongowriter.write;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.documents.Fields;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;

import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds one session's sessions-topic events of a batch, in offset order, into one guarded update of the session
 * fields. One write per session keeps partial updates merged in order: two guarded writes of the same document in
 * an unordered bulk may run in any order, and the older one would then lose its guard and its keys.
 *
 * <p>created sets every session field (context and metadata whole); updated sets what it names and merges
 * context/metadata key by key at the top level (a key mapped to null is removed); closed sets status "closed"
 * and closedAt; deleted erases every field of the session, whichever topic owns it, and leaves a tombstone
 * ({@code deleted}, {@code deletedAt}, the versions) so that neither a replay nor a late event older than the
 * deletion brings it back.
 *
 * <p>The cache folds the same events one at a time into a state ({@link dev.mtp.common.projection.SessionFold}); a
 * reader finds the same session in both, but for two differences: the document keeps what an update or close of a
 * session never created names, as a partial session (docs/decisions/0004), and it takes every created's time as
 * {@code createdAt}. SessionFoldsAgreeIT checks both folds on generated event sequences.
 */
public final class SessionDocumentFold {
    private SessionDocumentFold() {}

    /**
     * The write of the events that apply over {@code known} (newer in the same incarnation, or superseding another
     * one); the others are skipped as duplicates or stale.
     */
    public static PlannedWrite.Resolution plan(WriteContext ctx, String sessionId, List<SourcedEvent> all, Known known) {
        Version stored = known.version(TopicRole.SESSIONS);
        VersionSplit split = VersionSplit.of(all, stored);
        List<SourcedEvent> events = split.newer();
        List<Skipped> skipped = split.skipped();
        if (events.isEmpty()) {
            return PlannedWrite.Resolution.done(skipped);
        }
        Fold fold = new Fold(ctx.codec());
        for (SourcedEvent event : events) {
            fold.apply(event.event());
        }
        Version last = events.get(events.size() - 1).version();
        Document set = new Document(fold.set);
        long rev = Guards.next(known);
        Guards.setVersion(set, TopicRole.SESSIONS, last)
                .append(Fields.REV, rev)
                .append(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)
                .append(Fields.WRITTEN_AT, ctx.writtenAt());
        Document update = new Document("$set", set);
        if (!fold.unset.isEmpty()) {
            Document unset = new Document();
            fold.unset.forEach(path -> unset.append(path, ""));
            update.append("$unset", unset);
        }
        Document onInsert = Guards.otherVersionsOnInsert(TopicRole.SESSIONS, Guards.SESSION_TOPICS);
        for (String count : List.of(Fields.INTERACTION_COUNT, Fields.EVALUATION_COUNT)) {
            if (!fold.touches(count)) {
                onInsert.append(count, 0);
            }
        }
        if (!fold.touches(Fields.DELETED_AT)) {
            onInsert.append(Fields.DELETED_AT, null);
        }
        update.append("$setOnInsert", onInsert);
        UpdateOneModel<Document> model = new UpdateOneModel<>(Guards.cas(sessionId, known), update,
                new UpdateOptions().upsert(true));
        Date deletedAt = fold.set.get(Fields.DELETED_AT) instanceof Date d ? d : null;
        PlannedWrite write = new PlannedWrite(PlannedWrite.Kind.SESSION_FOLD, Target.SESSIONS, sessionId, model, events,
                again -> plan(ctx, sessionId, events, again),
                (k, inserted) -> {
                    k.written(TopicRole.SESSIONS, last, rev, inserted);
                    if (deletedAt != null) {
                        k.deletedAt(deletedAt);
                    }
                }, false, PlannedWrite.Supersession.of(TopicRole.SESSIONS, stored, events.get(0).version()));
        return new PlannedWrite.Resolution(List.of(write), skipped, List.of());
    }

    /** True when the events include a deletion: the session's other writes of the batch must follow this one. */
    public static boolean erases(List<SourcedEvent> events) {
        return events.stream().anyMatch(e -> e.event().payload() instanceof SessionDeleted);
    }

    /** $set and $unset paths without conflicts (MongoDB refuses "context" and "context.k" in one update). */
    static final class Fold {
        private final UserMapCodec codec;
        final Map<String, Object> set = new LinkedHashMap<>();
        final Set<String> unset = new LinkedHashSet<>();

        Fold(UserMapCodec codec) {
            this.codec = codec;
        }

        void apply(EventEnvelope event) {
            Date at = Date.from(event.occurredAt());
            switch (event.payload()) {
                case SessionCreated created -> {
                    setField(Fields.USER_ID, created.userId());
                    setField(Fields.STATUS, created.status());
                    setField(Fields.CACHE_STRATEGY, event.cacheStrategy());
                    setField(Fields.CONTEXT, codec.encode(created.context()));
                    setField(Fields.METADATA, codec.encode(created.metadata()));
                    setField(Fields.CREATED_AT, at);
                    setField(Fields.UPDATED_AT, at);
                    unsetField(Fields.CLOSED_AT);
                    unsetField(Fields.CLOSE_REASON);
                    unsetField(Fields.DELETED);
                    unsetField(Fields.DELETE_REASON);
                }
                case SessionUpdated updated -> {
                    if (updated.userId() != null) {
                        setField(Fields.USER_ID, updated.userId());
                    }
                    if (updated.status() != null) {
                        setField(Fields.STATUS, updated.status());
                    }
                    if (event.cacheStrategy() != null) {
                        setField(Fields.CACHE_STRATEGY, event.cacheStrategy());
                    }
                    merge(Fields.CONTEXT, updated.context());
                    merge(Fields.METADATA, updated.metadata());
                    setField(Fields.UPDATED_AT, at);
                }
                case SessionClosed closed -> {
                    setField(Fields.STATUS, SessionClosed.CLOSED_STATUS);
                    setField(Fields.CLOSED_AT, at);
                    if (closed.reason() != null) {
                        setField(Fields.CLOSE_REASON, closed.reason());
                    } else {
                        unsetField(Fields.CLOSE_REASON);
                    }
                    setField(Fields.UPDATED_AT, at);
                }
                case SessionDeleted deleted -> {
                    Fields.ERASED_SESSION_FIELDS.forEach(this::unsetField);
                    setField(Fields.DELETED, true);
                    setField(Fields.DELETED_AT, at);
                    if (deleted.reason() != null) {
                        setField(Fields.DELETE_REASON, deleted.reason());
                    } else {
                        unsetField(Fields.DELETE_REASON);
                    }
                    setField(Fields.UPDATED_AT, at);
                }
                default -> throw new IllegalArgumentException(event.type().wireName() + " is not a sessions-topic event");
            }
        }

        boolean touches(String field) {
            return set.containsKey(field) || unset.contains(field);
        }

        void setField(String field, Object value) {
            forget(field);
            set.put(field, value);
        }

        void unsetField(String field) {
            forget(field);
            unset.add(field);
        }

        /** Top-level merge of a user map: a key mapped to null is removed. */
        private void merge(String field, Map<String, Object> changes) {
            if (changes == null) {
                return;
            }
            for (Map.Entry<String, Object> change : changes.entrySet()) {
                String key = UserMapCodec.escapeKey(change.getKey());
                Object value = change.getValue() == null ? null : codec.encodeValue(change.getValue());
                if (set.get(field) instanceof Document whole) {
                    // The map was set whole earlier in this batch: change that value instead of adding a path.
                    if (value == null) {
                        whole.remove(key);
                    } else {
                        whole.put(key, value);
                    }
                } else if (unset.contains(field)) {
                    // Erased earlier in this batch: the merge starts a new map.
                    if (value != null) {
                        unset.remove(field);
                        set.put(field, new Document(key, value));
                    }
                } else {
                    String path = field + "." + key;
                    set.remove(path);
                    unset.remove(path);
                    if (value == null) {
                        unset.add(path);
                    } else {
                        set.put(path, value);
                    }
                }
            }
        }

        /** Drops every path at or below {@code field}. */
        private void forget(String field) {
            String below = field + ".";
            set.keySet().removeIf(p -> p.equals(field) || p.startsWith(below));
            for (Iterator<String> it = unset.iterator(); it.hasNext(); ) {
                String p = it.next();
                if (p.equals(field) || p.startsWith(below)) {
                    it.remove();
                }
            }
        }
    }
}
