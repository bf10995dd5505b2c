package dev.mtp.mongowriter.store;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoDatabase;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stale and out-of-order deliveries, made by handing the writer batches with chosen offsets (Kafka itself delivers a
 * partition in order; these are what a replay, a zombie instance or a partly applied batch look like).
 */
@RealServers
class OutOfOrderIT {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Incarnation INCARNATION = new Incarnation("AbCdEfGh");

    @Test
    void aStaleEventNeverOverwritesNewerFieldsOfAnyOwner(TestNamespace ns) throws Exception {
        MongoDatabase db = ns.mongoDatabase();
        dev.mtp.mongowriter.document.DocumentIndexes.ensure(db, true);
        MongoBatchWriter writer = writer(db);

        writer.write(List.of(session(10, new SessionCreated("u-1", "active", Map.of("a", 1), Map.of()))));
        writer.write(List.of(session(12, new SessionUpdated(null, "idle", Map.of("b", 2), null))));
        writer.write(List.of(session(11, new SessionUpdated("u-stale", "stale", Map.of("c", 3), null))));
        // Another instance (nothing remembered) gets the stale one too: the stored versions decide.
        writer(db).write(List.of(session(11, new SessionUpdated("u-stale", "stale", Map.of("c", 3), null))));
        writer.write(List.of(interaction(20, "i-1", "new")));
        writer.write(List.of(interaction(15, "i-1", "old"), interaction(16, "i-2", "old too")));
        writer(db).write(List.of(interaction(15, "i-1", "old")));
        writer.write(List.of(evaluation(30, Map.of("v", 2))));
        writer.write(List.of(evaluation(25, Map.of("v", 1))));
        writer(db).write(List.of(evaluation(25, Map.of("v", 1))));

        Document session = db.getCollection("sessions").find(new Document("_id", "s-1")).first();
        assertThat(session.getString("status")).isEqualTo("idle");
        assertThat(session.getString("userId")).isEqualTo("u-1");
        assertThat(UserMapCodec.decode(session.get("context", Document.class))).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(session.getInteger("interactionCount")).isEqualTo(1);
        assertThat(session.getString("lastInteractionId")).isEqualTo("i-1");
        assertThat(UserMapCodec.decode(session.get("evaluationData", Document.class))).isEqualTo(Map.of("v", 2));
        assertThat(session.getInteger("evaluationCount")).isEqualTo(1);
        assertThat(session.getDate("writtenAt")).isNotNull();
        assertThat(db.getCollection("interactions").find(new Document("_id", "i-1")).first().getString("response"))
                .isEqualTo("new");
        // i-2 at offset 16 is older than what the session's summary already holds (20): its document is kept
        // (an interaction is its own entity) but it does not move the session's summary backwards.
        assertThat(session.getInteger("interactionCount")).isEqualTo(1);
    }

    @Test
    void aBatchPartlyAppliedBeforeACrashAppliesOnlyTheRest(TestNamespace ns) throws Exception {
        MongoDatabase db = ns.mongoDatabase();
        dev.mtp.mongowriter.document.DocumentIndexes.ensure(db, true);
        MongoBatchWriter writer = writer(db);
        writer.write(List.of(session(1, new SessionCreated("u-1", "active", Map.of(), Map.of())),
                session(2, new SessionUpdated(null, null, Map.of("k1", 1), null)),
                interaction(1, "i-1", "a"), interaction(2, "i-2", "b")));

        // Redelivered from an older commit, with more records than the first attempt had, to a restarted writer.
        writer(db).write(List.of(session(1, new SessionCreated("u-1", "active", Map.of(), Map.of())),
                session(2, new SessionUpdated(null, null, Map.of("k1", 1), null)),
                session(3, new SessionUpdated(null, null, Map.of("k2", 2), null)),
                interaction(1, "i-1", "a"), interaction(2, "i-2", "b"), interaction(3, "i-3", "c")));

        Document session = db.getCollection("sessions").find(new Document("_id", "s-1")).first();
        assertThat(UserMapCodec.decode(session.get("context", Document.class))).isEqualTo(Map.of("k1", 1, "k2", 2));
        assertThat(session.getInteger("interactionCount")).isEqualTo(3);
        assertThat(session.getString("lastInteractionId")).isEqualTo("i-3");
    }

    @Test
    void anInteractionAndItsEvaluationInOneBatchShareTheGuardWithoutLosingIt(TestNamespace ns) throws Exception {
        MongoDatabase db = ns.mongoDatabase();
        dev.mtp.mongowriter.document.DocumentIndexes.ensure(db, true);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MongoBatchWriter writer = writer(db, meters);

        // One guard index serves both owners: the attachment expects what the insert before it leaves.
        writer.write(List.of(interaction(1, "i-1", "a"), sourced(TopicRole.EVALUATIONS, 1, EventEnvelope.of(
                UUID.randomUUID(), "s-1", "i-1", null, T0.plusSeconds(2), "test",
                new EvaluationRecorded(EntityType.INTERACTION, Map.of("score", 5))))));

        Document stored = db.getCollection("interactions").find(new Document("_id", "i-1")).first();
        assertThat(stored.getString("response")).isEqualTo("a");
        assertThat(UserMapCodec.decode(stored.get("evaluationData", Document.class))).isEqualTo(Map.of("score", 5));
        assertThat(stored.get("versions", Document.class)).isEqualTo(new Document("interactions", 1L)
                .append("interactionsIncarnation", "AbCdEfGh").append("interactionsFirst", 1L)
                .append("interactionsFirstIncarnation", "AbCdEfGh").append("evaluations", 1L)
                .append("evaluationsIncarnation", "AbCdEfGh"));
        assertThat(meters.counter("mtp.mongo.guard.conflicts").count()).isZero();
    }

    @Test
    void eventsReplayedAfterTheirSessionWasDeletedBringNothingBack(TestNamespace ns) throws Exception {
        MongoDatabase db = ns.mongoDatabase();
        dev.mtp.mongowriter.document.DocumentIndexes.ensure(db, true);
        MongoBatchWriter live = writer(db);
        MongoBatchWriter replay = writer(db);
        SourcedEvent created = session(1, new SessionCreated("u-1", "active", Map.of(), Map.of()));
        SourcedEvent recorded = interaction(2, "i-1", "a");
        SourcedEvent evaluated = sourced(TopicRole.EVALUATIONS, 3, EventEnvelope.of(UUID.randomUUID(), "s-1", "i-1",
                null, T0.plusSeconds(3), "test", new EvaluationRecorded(EntityType.INTERACTION, Map.of("score", 5))));
        live.write(List.of(created, recorded, evaluated));
        // The replay passes the session's events first and remembers the session as it stands, its summaries
        // counting i-1 and its evaluation; then the live writer applies the deletion.
        replay.write(List.of(created));
        live.write(List.of(session(5, new SessionDeleted("erasure"))));

        replay.write(List.of(recorded, evaluated));

        assertThat(db.getCollection("interactions").countDocuments()).isZero();
        assertThat(db.getCollection("evaluations").countDocuments()).isZero();
        assertThat(db.getCollection("sessions").find(new Document("_id", "s-1")).first().getDate("deletedAt"))
                .isEqualTo(java.util.Date.from(T0.plusSeconds(5)));
    }

    private static MongoBatchWriter writer(MongoDatabase db) {
        return writer(db, new SimpleMeterRegistry());
    }

    private static MongoBatchWriter writer(MongoDatabase db, SimpleMeterRegistry meters) {
        return new MongoBatchWriter(db, new MongoBatchWriter.Settings(16_777_216, 32, 5, WriteConcern.MAJORITY, 10_000, 1),
                meters, Clock.fixed(T0, ZoneOffset.UTC));
    }

    private static SourcedEvent session(long offset, EventPayload payload) {
        String strategy = payload instanceof SessionCreated ? "WITH_CONTEXT" : null;
        return sourced(TopicRole.SESSIONS, offset, EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", strategy,
                T0.plusSeconds(offset), "test", payload));
    }

    private static SourcedEvent interaction(long offset, String id, String response) {
        return sourced(TopicRole.INTERACTIONS, offset, EventEnvelope.of(UUID.randomUUID(), "s-1", id, "RESPONSE_ONLY",
                T0.plusSeconds(offset), "test", new InteractionRecorded("assistant", "q", response, Map.of(), Map.of(), 1L)));
    }

    private static SourcedEvent evaluation(long offset, Map<String, Object> data) {
        return sourced(TopicRole.EVALUATIONS, offset, EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", null,
                T0.plusSeconds(offset), "test", new EvaluationRecorded(EntityType.SESSION, data)));
    }

    private static SourcedEvent sourced(TopicRole role, long offset, EventEnvelope event) {
        return new SourcedEvent(event, role, "t." + role.baseName(), 0, offset, INCARNATION);
    }
}
