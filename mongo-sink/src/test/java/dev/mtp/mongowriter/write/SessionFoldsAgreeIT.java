package dev.mtp.mongowriter.write;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.result.UpdateResult;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.documents.Fields;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two session folds against each other, on every event sequence a seeded generator makes: {@link SessionFold}
 * folds one event at a time into the {@link SessionState} the cache projects; {@link SessionDocumentFold} folds a
 * batch into one guarded update of the MongoDB session document. Each sequence is cut into random batches and
 * written to a real MongoDB; then the session a reader finds in the document (none when it is deleted) is the one the
 * state holds, with the two differences the folds are named for:
 * <ul>
 *   <li>a session only updated or closed, never created (since its deletion, if any), is a partial document
 *       (without {@code createdAt}, decision 0004) and nothing in the state, which keeps only a created session;</li>
 *   <li>{@code createdAt} is the last {@code session.created}'s time in the document, and in the state the time of
 *       the one that made the session live (a created over a live session keeps it).</li>
 * </ul>
 */
@RealServers
class SessionFoldsAgreeIT {
    private static final int SEQUENCES = 500;
    private static final Incarnation INCARNATION = new Incarnation("AgReEmNt");
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final List<String> KEYS = List.of("topic", "step", "lang");
    private static final List<String> STATUSES = List.of("active", "idle", "paused");

    private final WriteContext ctx = new WriteContext(new UserMapCodec(32), Date.from(T0));

    @Test
    void aReaderFindsTheSameSessionInTheDocumentAsInTheStateForEveryGeneratedSequenceInAnyBatching(TestNamespace ns) {
        MongoCollection<Document> documents = ns.mongoDatabase().getCollection(Fields.SESSIONS);
        for (int seed = 0; seed < SEQUENCES; seed++) {
            Random random = new Random(seed);
            String id = "s-" + seed;
            List<SourcedEvent> events = sequence(random, id);
            SessionState state = SessionState.empty(id);
            for (SourcedEvent event : events) {
                state = SessionFold.apply(state, event.event(), event.version()).state();
            }
            writeInRandomBatches(documents, id, events, random);

            Document document = documents.find(eq(Fields.ID, id)).first();
            String which = "seed " + seed + ": " + events.stream().map(e -> e.event().payload()).toList();
            assertThat(Held.of(document)).as(which).isEqualTo(Held.of(state));
            if (state.isLive()) {
                assertThat(document.getDate(Fields.CREATED_AT).toInstant()).as(which).isEqualTo(lastCreated(events));
                assertThat(state.createdAt()).as(which).isEqualTo(createdWhenItBecameLive(events));
            }
        }
    }

    private static Instant lastCreated(List<SourcedEvent> events) {
        return events.stream().filter(e -> e.event().payload() instanceof SessionCreated)
                .reduce((first, second) -> second).orElseThrow().event().occurredAt();
    }

    private static Instant createdWhenItBecameLive(List<SourcedEvent> events) {
        Instant since = null;
        for (SourcedEvent e : events) {
            if (e.event().payload() instanceof SessionDeleted) {
                since = null;
            } else if (since == null && e.event().payload() instanceof SessionCreated) {
                since = e.event().occurredAt();
            }
        }
        return since;
    }

    /** A session as a reader finds it, but for createdAt; the state's versions and interaction summary aside. */
    record Held(String userId, String status, String strategy, Map<String, Object> context,
                Map<String, Object> metadata, Instant updatedAt, Instant closedAt) {

        static Held of(SessionState s) {
            return s.isLive() ? new Held(s.userId(), s.status(), s.strategy().name(), s.context(), s.metadata(),
                    s.updatedAt(), s.closedAt()) : null;
        }

        static Held of(Document d) {
            if (d == null || Boolean.TRUE.equals(d.getBoolean(Fields.DELETED)) || !d.containsKey(Fields.CREATED_AT)) {
                return null;
            }
            return new Held(d.getString(Fields.USER_ID), d.getString(Fields.STATUS), d.getString(Fields.CACHE_STRATEGY),
                    userMap(d, Fields.CONTEXT), userMap(d, Fields.METADATA), instant(d, Fields.UPDATED_AT),
                    instant(d, Fields.CLOSED_AT));
        }

        private static Map<String, Object> userMap(Document d, String field) {
            Document stored = d.get(field, Document.class);
            return stored == null ? Map.of() : UserMapCodec.decode(stored);
        }

        private static Instant instant(Document d, String field) {
            Date date = d.getDate(field);
            return date == null ? null : date.toInstant();
        }
    }

    private void writeInRandomBatches(MongoCollection<Document> documents, String id, List<SourcedEvent> events,
                                      Random random) {
        for (int from = 0; from < events.size(); ) {
            int to = from + 1 + random.nextInt(events.size() - from);
            Document stored = documents.find(eq(Fields.ID, id)).first();
            Known known = stored == null ? Known.nothing() : Known.of(stored);
            for (PlannedWrite write : SessionDocumentFold.plan(ctx, id, events.subList(from, to), known).retry()) {
                UpdateOneModel<Document> model = (UpdateOneModel<Document>) write.model();
                UpdateResult result = documents.updateOne(model.getFilter(), model.getUpdate(), model.getOptions());
                assertThat(result.getMatchedCount() + (result.getUpsertedId() == null ? 0 : 1)).isEqualTo(1);
            }
            from = to;
        }
    }

    /** One to a dozen sessions-topic events of one session, a second apart, at offsets 0, 1, ... */
    private static List<SourcedEvent> sequence(Random random, String id) {
        List<SourcedEvent> events = new ArrayList<>();
        int length = 1 + random.nextInt(12);
        for (int offset = 0; offset < length; offset++) {
            Instant at = T0.plusSeconds(offset);
            int kind = random.nextInt(10);
            EventEnvelope event;
            if (kind < 3) {
                event = Events.created(id, strategy(random), at, "u-" + random.nextInt(3), userMap(random, false),
                        userMap(random, false));
            } else if (kind < 7) {
                event = Events.updated(id, random.nextBoolean() ? null : strategy(random), at, update(random));
            } else if (kind < 9) {
                event = Events.closed(id, at);
            } else {
                event = Events.deleted(id, at);
            }
            events.add(new SourcedEvent(event, TopicRole.SESSIONS, "t.sessions", 0, offset, INCARNATION));
        }
        return events;
    }

    private static SessionUpdated update(Random random) {
        String userId = random.nextInt(4) == 0 ? "u-" + random.nextInt(3) : null;
        String status = random.nextBoolean() ? STATUSES.get(random.nextInt(STATUSES.size())) : null;
        Map<String, Object> context = random.nextBoolean() ? userMap(random, true) : null;
        Map<String, Object> metadata = random.nextInt(3) == 0 ? userMap(random, true) : null;
        if (userId == null && status == null && context == null && metadata == null) {
            status = "idle";
        }
        return new SessionUpdated(userId, status, context, metadata);
    }

    private static String strategy(Random random) {
        SessionCacheStrategy[] all = SessionCacheStrategy.values();
        return all[random.nextInt(all.length)].name();
    }

    /** Up to three keys; in a patch a key may map to null, which removes it. */
    private static Map<String, Object> userMap(Random random, boolean patch) {
        Map<String, Object> map = new HashMap<>();
        for (String key : KEYS) {
            switch (random.nextInt(patch ? 4 : 3)) {
                case 0 -> map.put(key, "v" + random.nextInt(3));
                case 1 -> map.put(key, random.nextInt(3));
                case 3 -> map.put(key, null);
                default -> { }
            }
        }
        return map;
    }
}
