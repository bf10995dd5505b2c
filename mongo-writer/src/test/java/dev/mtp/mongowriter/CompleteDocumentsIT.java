package dev.mtp.mongowriter;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.mtp.common.event.EntityType;
import dev.mtp.documents.Fields;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.mongowriter.document.DocumentIndexes;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's flow (create, interact, evaluate, update, close) becomes complete documents in the three collections. */
@RealServers
class CompleteDocumentsIT {

    @Test
    void theSeedExamplesBecomeCompleteSessionInteractionAndEvaluationDocuments(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            var created = ev.created("session-123");
            var interaction = ev.interaction("session-123", "int-789", "Our product offers...");
            var sessionEvaluation = ev.evaluation("session-123", "session-123", EntityType.SESSION, Map.of(
                    "satisfaction_score", 4.5, "resolution_time", 300,
                    "topics_covered", List.of("product_info", "pricing"), "sentiment", "positive"));
            var interactionEvaluation = ev.evaluation("session-123", "int-789", EntityType.INTERACTION,
                    Map.of("helpfulness", 5));
            Map<String, Object> contextChange = new HashMap<>();
            contextChange.put("currentTopic", "pricing");
            contextChange.put("cart", Map.of("items", 2));
            var updated = ev.updated("session-123", "idle", contextChange, null);
            var closed = ev.closed("session-123");
            h.produce(created, interaction, sessionEvaluation, interactionEvaluation, updated, closed);
            h.awaitCaughtUp(Duration.ofSeconds(60));

            Document session = h.session("session-123");
            assertThat(session.getString("userId")).isEqualTo("user-456");
            assertThat(session.getString("status")).isEqualTo("closed");
            assertThat(session.getString("cacheStrategy")).isEqualTo("WITH_CONTEXT");
            assertThat(UserMapCodec.decode(session.get("context", Document.class)))
                    .isEqualTo(Map.of("currentTopic", "pricing", "cart", Map.of("items", 2)));
            assertThat(UserMapCodec.decode(session.get("metadata", Document.class))).isEqualTo(Map.of("source", "web_chat"));
            assertThat(session.getInteger("interactionCount")).isEqualTo(1);
            assertThat(session.getString("lastInteractionId")).isEqualTo("int-789");
            assertThat(session.getDate("lastActivityAt").toInstant()).isEqualTo(interaction.occurredAt());
            assertThat(session.getDate("createdAt").toInstant()).isEqualTo(created.occurredAt());
            assertThat(session.getDate("updatedAt").toInstant()).isEqualTo(closed.occurredAt());
            assertThat(session.getDate("closedAt").toInstant()).isEqualTo(closed.occurredAt());
            assertThat(session.getString("closeReason")).isEqualTo("user left");
            assertThat(UserMapCodec.decode(session.get("evaluationData", Document.class)))
                    .containsEntry("sentiment", "positive").containsEntry("satisfaction_score", 4.5)
                    .containsEntry("topics_covered", List.of("product_info", "pricing"));
            assertThat(session.getDate("evaluatedAt").toInstant()).isEqualTo(sessionEvaluation.occurredAt());
            assertThat(session.getInteger("evaluationCount")).isEqualTo(2);
            assertThat(session.getString("lastEvaluationId")).isEqualTo(interactionEvaluation.eventId().toString());
            assertThat(session.getInteger("schemaVersion")).isEqualTo(Fields.CURRENT_SCHEMA);
            assertThat(session.getDate("writtenAt")).isNotNull();

            Document stored = h.interaction("int-789");
            assertThat(stored.getString("sessionId")).isEqualTo("session-123");
            assertThat(stored.getString("role")).isEqualTo("assistant");
            assertThat(stored.getString("request")).isEqualTo("What are your product features?");
            assertThat(stored.getString("response")).isEqualTo("Our product offers...");
            assertThat(UserMapCodec.decode(stored.get("context", Document.class))).isEqualTo(Map.of("intent", "product_info"));
            assertThat(stored.getLong("processingTimeMs")).isEqualTo(150L);
            assertThat(stored.getDate("recordedAt").toInstant()).isEqualTo(interaction.occurredAt());
            assertThat(UserMapCodec.decode(stored.get("evaluationData", Document.class))).isEqualTo(Map.of("helpfulness", 5));
            assertThat(stored.getString("lastEvaluationId")).isEqualTo(interactionEvaluation.eventId().toString());
            assertThat(stored.getInteger("schemaVersion")).isEqualTo(Fields.CURRENT_SCHEMA);
            assertThat(stored.getDate("writtenAt")).isNotNull();

            List<Document> evaluations = h.evaluations().find().into(new ArrayList<>());
            assertThat(evaluations).extracting(d -> d.getString("_id")).containsExactlyInAnyOrder(
                    sessionEvaluation.eventId().toString(), interactionEvaluation.eventId().toString());
            Document analystView = h.evaluations().find(new Document("entityType", "session")
                    .append("evaluationData.satisfaction_score", new Document("$gte", 4))).first();
            assertThat(analystView.getString("entityId")).isEqualTo("session-123");
            assertThat(analystView.getString("sessionId")).isEqualTo("session-123");
            assertThat(analystView.getDate("evaluatedAt").toInstant()).isEqualTo(sessionEvaluation.occurredAt());
            assertThat(analystView.getInteger("schemaVersion")).isEqualTo(Fields.CURRENT_SCHEMA);
        }
    }

    @Test
    void partialUpdatesMergeTopLevelKeysAndANullValueRemovesTheKey(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            Map<String, Object> removeTopic = new HashMap<>();
            removeTopic.put("currentTopic", null);
            removeTopic.put("step", 2);
            h.produce(ev.created("s-merge", "user-1", Map.of("currentTopic", "a", "step", 1, "lang", "de"), Map.of()),
                    ev.updated("s-merge", null, Map.of("step", 1, "extra", Map.of("x", 1)), Map.of("source", "app")),
                    ev.updated("s-merge", null, removeTopic, null));
            h.awaitCaughtUp(Duration.ofSeconds(60));

            Document session = h.session("s-merge");
            assertThat(UserMapCodec.decode(session.get("context", Document.class)))
                    .isEqualTo(Map.of("step", 2, "lang", "de", "extra", Map.of("x", 1)));
            assertThat(UserMapCodec.decode(session.get("metadata", Document.class))).isEqualTo(Map.of("source", "app"));
            assertThat(session.getString("status")).isEqualTo("active");
            assertThat(session.getString("userId")).isEqualTo("user-1");
        }
    }

    @Test
    void aDatabaseOfSchemaOneIsMigratedAtStartItsIndexesReplacedAndWrittenOnAsIfWrittenByThisVersion(TestNamespace ns)
            throws Exception {
        try (Harness h = new Harness(ns)) {
            h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(ev.created("s-old"), ev.interaction("s-old", "i-1", "first"),
                    ev.evaluation("s-old", "i-1", EntityType.INTERACTION, Map.of("helpfulness", 3)),
                    ev.evaluation("s-old", "s-old", EntityType.SESSION, Map.of("satisfaction_score", 3)));
            h.awaitCaughtUp(Duration.ofSeconds(60));
            h.stopApps();
            asWrittenBySchemaOne(h.db());

            h.start();
            assertThat(guardIndexes(h.db(), Fields.SESSIONS)).containsExactly("guard__id_rev");
            assertThat(guardIndexes(h.db(), Fields.INTERACTIONS)).containsExactly("guard__id_rev");
            for (var collection : List.of(h.sessions(), h.interactions())) {
                assertThat(collection.find()).allSatisfy(doc -> {
                    assertThat(doc.get(Fields.REV)).isEqualTo(1L);
                    assertThat(doc.getInteger(Fields.SCHEMA_VERSION)).isEqualTo(Fields.CURRENT_SCHEMA);
                });
            }
            assertThat(h.evaluations().find()).allSatisfy(doc ->
                    assertThat(doc.getInteger(Fields.SCHEMA_VERSION)).isEqualTo(Fields.CURRENT_SCHEMA));
            java.util.stream.Stream.of(DocumentIndexes.QUERY, DocumentIndexes.GUARDS).flatMap(m -> m.entrySet().stream())
                    .forEach(e -> assertThat(h.db().getCollection(e.getKey()).listIndexes().map(d -> d.getString("name"))
                            .into(new ArrayList<>())).containsAll(e.getValue().stream().map(i -> i.getOptions().getName()).toList()));

            h.produce(ev.interaction("s-old", "i-2", "second"),
                    ev.evaluation("s-old", "i-1", EntityType.INTERACTION, Map.of("helpfulness", 5)),
                    ev.updated("s-old", "idle", Map.of("step", 2), null));
            h.awaitCaughtUp(Duration.ofSeconds(60));
            Document session = h.session("s-old");
            assertThat(session.getInteger(Fields.INTERACTION_COUNT)).isEqualTo(2);
            assertThat(session.getInteger(Fields.EVALUATION_COUNT)).isEqualTo(3);
            assertThat(session.getString(Fields.STATUS)).isEqualTo("idle");
            assertThat(UserMapCodec.decode(h.interaction("i-1").get(Fields.EVALUATION_DATA, Document.class)))
                    .isEqualTo(Map.of("helpfulness", 5));
            h.assertSameAsAReferenceWriter(Map.of(), Duration.ofSeconds(60));
        }
    }

    @Test
    void aDocumentWrittenWithoutARevisionBesideThisVersionStopsItRatherThanWriteOnAWrongBelief(TestNamespace ns)
            throws Exception {
        try (Harness h = new Harness(ns)) {
            RunningApp app = h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(ev.created("s-mixed"));
            h.awaitCaughtUp(Duration.ofSeconds(60));
            // What a writer of schema 1 still running would leave: the session's fields moved, its revision not.
            h.sessions().updateOne(new Document(Fields.ID, "s-mixed"), Updates.combine(Updates.unset(Fields.REV),
                    Updates.set("versions.sessions", 5L), Updates.set(Fields.STATUS, "closed")));
            long committed = h.committedTotal();

            h.produce(ev.updated("s-mixed", "idle", null, null));
            assertThat(app.awaitStopped(Duration.ofSeconds(60))).as("the writer stops").isTrue();
            assertThat(app.stopReason()).contains("s-mixed has no rev", "schema 1");
            assertThat(h.session("s-mixed").getString(Fields.STATUS)).as("nothing written on the wrong belief")
                    .isEqualTo("closed");
            assertThat(h.committedTotal()).as("the event stays uncommitted").isEqualTo(committed);
        }
    }

    /** The documents and indexes as mongo-writer of schema 1 left them: no revision, a guard index per owner. */
    private static void asWrittenBySchemaOne(MongoDatabase db) {
        for (String name : List.of(Fields.SESSIONS, Fields.INTERACTIONS)) {
            db.getCollection(name).updateMany(new Document(), Updates.combine(Updates.unset(Fields.REV),
                    Updates.set(Fields.SCHEMA_VERSION, 1)));
            db.getCollection(name).dropIndex("guard__id_rev");
        }
        db.getCollection(Fields.EVALUATIONS).updateMany(new Document(), Updates.set(Fields.SCHEMA_VERSION, 1));
        db.getCollection(Fields.SESSIONS).createIndexes(List.of(
                new IndexModel(Indexes.ascending(Fields.ID, "versions.sessions"),
                        new IndexOptions().unique(true).name("guard__id_versions.sessions")),
                new IndexModel(Indexes.ascending(Fields.ID, "versions.interactions", Fields.DELETED_AT),
                        new IndexOptions().unique(true).name("guard__id_versions.interactions_deletedAt")),
                new IndexModel(Indexes.ascending(Fields.ID, "versions.evaluations", Fields.DELETED_AT),
                        new IndexOptions().unique(true).name("guard__id_versions.evaluations_deletedAt"))));
        db.getCollection(Fields.INTERACTIONS).createIndex(
                Indexes.ascending(Fields.ID, "versions.interactions", "versions.evaluations"),
                new IndexOptions().unique(true).name("guard__id_versions.interactions_versions.evaluations"));
        db.getCollection("schemaMigrations").drop();
    }

    private static List<String> guardIndexes(MongoDatabase db, String collection) {
        return db.getCollection(collection).listIndexes().map(d -> d.getString("name")).into(new ArrayList<String>())
                .stream().filter(name -> name.startsWith("guard_")).toList();
    }
}
