package dev.mtp.mongowriter.write;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Planning against stored versions of another incarnation, of none (written before incarnations were recorded) and of
 * the same one (docs/decisions/0012): pure, no server.
 */
class IncarnationPlanningTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Incarnation CONSUMED = new Incarnation("NewTopic");
    private static final Incarnation OTHER = new Incarnation("OldTopic");
    private final WriteContext ctx = new WriteContext(new UserMapCodec(32), Date.from(T0));

    @Test
    void aVersionIsReadWithTheIncarnationBesideItAndUnknownWhenTheDocumentHasNone() {
        Known known = Known.of(new Document("_id", "i-1").append("rev", 3L).append("versions", new Document()
                .append("interactions", 40L).append("interactionsIncarnation", "OldTopic")
                .append("interactionsFirst", 12L)
                .append("evaluations", 7L)));

        assertThat(known.version(TopicRole.INTERACTIONS)).isEqualTo(new Version(OTHER, 40));
        assertThat(known.interactionsFirst()).isEqualTo(new Version(Incarnation.UNKNOWN, 12));
        assertThat(known.version(TopicRole.EVALUATIONS)).isEqualTo(new Version(Incarnation.UNKNOWN, 7));
        assertThat(known.version(TopicRole.SESSIONS)).isEqualTo(Version.NONE);
    }

    @Test
    void eventsOfTheConsumedIncarnationSupersedeHigherOffsetsOfAnotherOrOfNoneAndSayWhatTheyReplace() {
        for (Document versions : List.of(new Document("sessions", 900L).append("sessionsIncarnation", "OldTopic"),
                new Document("sessions", 900L))) {
            Known stored = Known.of(new Document("_id", "s-1").append("rev", 9L).append("versions", versions));

            PlannedWrite.Resolution plan = SessionDocumentFold.plan(ctx, "s-1", List.of(session(3, "idle"), session(4, "busy")),
                    stored);

            assertThat(plan.skipped()).as("stored %s", versions).isEmpty();
            PlannedWrite write = plan.retry().get(0);
            assertThat(write.events()).extracting(SourcedEvent::offset).containsExactly(3L, 4L);
            Document set = update(write).get("$set", Document.class);
            assertThat(set).containsEntry("status", "busy").containsEntry("versions.sessions", 4)
                    .containsEntry("versions.sessionsIncarnation", "NewTopic");
            assertThat(write.supersedes()).isEqualTo(new PlannedWrite.Supersession(TopicRole.SESSIONS,
                    stored.version(TopicRole.SESSIONS), new Version(CONSUMED, 3)));
        }
    }

    @Test
    void withinTheConsumedIncarnationAnEqualOffsetIsADuplicateALowerOneStaleAndNothingIsSuperseded() {
        Known stored = Known.of(new Document("_id", "s-1").append("rev", 9L).append("versions",
                new Document("sessions", 4L).append("sessionsIncarnation", "NewTopic")));

        PlannedWrite.Resolution plan = SessionDocumentFold.plan(ctx, "s-1",
                List.of(session(3, "idle"), session(4, "busy"), session(5, "done")), stored);

        assertThat(plan.skipped()).extracting(s -> s.event().offset(), Skipped::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3L, Skipped.Reason.STALE),
                org.assertj.core.groups.Tuple.tuple(4L, Skipped.Reason.DUPLICATE));
        assertThat(plan.skipped()).allSatisfy(s -> assertThat(s.stored()).isEqualTo(new Version(CONSUMED, 4)));
        assertThat(plan.retry()).singleElement().satisfies(w -> {
            assertThat(w.events()).extracting(SourcedEvent::offset).containsExactly(5L);
            assertThat(w.supersedes()).isNull();
        });
    }

    @Test
    void anInteractionDocumentOfAnotherIncarnationIsRewrittenButKeepsTheVersionOfTheEventThatCreatedIt() {
        Known stored = Known.of(new Document("_id", "i-1").append("rev", 2L).append("versions", new Document()
                .append("interactions", 50L).append("interactionsIncarnation", "OldTopic")
                .append("interactionsFirst", 10L).append("interactionsFirstIncarnation", "OldTopic")
                .append("evaluations", -1L)));

        PlannedWrite write = InteractionWrites.document(ctx, "i-1", List.of(interaction("s-1", "i-1", 5)), stored)
                .retry().get(0);

        Document update = update(write);
        assertThat(update.get("$set", Document.class)).containsEntry("versions.interactions", 5)
                .containsEntry("versions.interactionsIncarnation", "NewTopic")
                .doesNotContainKey("versions.interactionsFirst");
        assertThat(update.get("$setOnInsert", Document.class)).containsEntry("versions.interactionsFirst", 5)
                .containsEntry("versions.interactionsFirstIncarnation", "NewTopic");
        Known after = stored.copy();
        write.applied().update(after, false);
        assertThat(after.interactionsFirst()).as("the same id from another incarnation counted there")
                .isEqualTo(new Version(OTHER, 10));
        assertThat(after.version(TopicRole.INTERACTIONS)).isEqualTo(new Version(CONSUMED, 5));
    }

    @Test
    void aNewInteractionDocumentStoresEachVersionWithItsIncarnation() {
        PlannedWrite write = InteractionWrites.document(ctx, "i-1", List.of(interaction("s-1", "i-1", 5),
                interaction("s-1", "i-1", 6)), Known.nothing()).retry().get(0);

        Document inserted = ((InsertOneModel<Document>) write.model()).getDocument();
        assertThat(inserted.get("versions", Document.class)).isEqualTo(new Document("interactions", 6L)
                .append("interactionsIncarnation", "NewTopic").append("interactionsFirst", 5L)
                .append("interactionsFirstIncarnation", "NewTopic").append("evaluations", -1L));
    }

    @Test
    void aSummarySupersedingAnotherIncarnationCountsOnlyWhatItsEventsCreated() {
        Known old = Known.of(new Document("_id", "s-1").append("rev", 5L).append("versions", new Document()
                .append("interactions", 70L).append("interactionsIncarnation", "OldTopic")
                .append("evaluations", 80L)));
        List<LaneEvent> interactions = List.of(LaneEvent.interaction(interaction("s-1", "i-1", 1), false),
                LaneEvent.interaction(interaction("s-1", "i-9", 2), true));
        List<LaneEvent> evaluations = List.of(LaneEvent.evaluation(evaluation(1), false),
                LaneEvent.evaluation(evaluation(2), true), LaneEvent.evaluation(evaluation(3), true));

        assertThat(increment(InteractionWrites.summary(ctx, "s-1", interactions, old), "interactionCount")).isEqualTo(1);
        assertThat(increment(EvaluationWrites.summary(ctx, "s-1", evaluations, old), "evaluationCount")).isEqualTo(2);

        Known same = Known.of(new Document("_id", "s-1").append("rev", 5L).append("versions",
                new Document("evaluations", 0L).append("evaluationsIncarnation", "NewTopic")));
        assertThat(increment(EvaluationWrites.summary(ctx, "s-1", evaluations, same), "evaluationCount"))
                .as("within one incarnation the version decides: a redelivery after a crash counts").isEqualTo(3);
    }

    @Test
    void anEvaluationDocumentIsCreatedByTheEventItsSourceNames() {
        SourcedEvent e = evaluation(7);
        Document stored = ((InsertOneModel<Document>) EvaluationWrites.document(ctx, e).model()).getDocument();
        assertThat(stored.get("source", Document.class)).containsEntry("incarnation", "NewTopic");

        assertThat(EvaluationWrites.createdBy(stored, e)).isTrue();
        assertThat(EvaluationWrites.createdBy(stored, evaluation(8))).isFalse();
        stored.get("source", Document.class).put("incarnation", "OldTopic");
        assertThat(EvaluationWrites.createdBy(stored, e)).as("the same offset in another incarnation").isFalse();
        stored.get("source", Document.class).remove("incarnation");
        assertThat(EvaluationWrites.createdBy(stored, e)).as("stored before incarnations were recorded").isFalse();
    }

    private static int increment(PlannedWrite.Resolution plan, String field) {
        return ((Number) update(plan.retry().get(0)).get("$inc", Document.class).get(field)).intValue();
    }

    private static SourcedEvent session(long offset, String status) {
        return new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", null, T0.plusSeconds(offset), "test",
                new SessionUpdated(null, status, null, null)), TopicRole.SESSIONS, "t.sessions", 0, offset, CONSUMED);
    }

    private static SourcedEvent interaction(String sessionId, String id, long offset) {
        return new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), sessionId, id, "FULL_INTERACTION",
                T0.plusSeconds(offset), "test", new InteractionRecorded("user", "q", "a", Map.of(), Map.of(), 1L)),
                TopicRole.INTERACTIONS, "t.interactions", 0, offset, CONSUMED);
    }

    private static SourcedEvent evaluation(long offset) {
        return new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", null, T0.plusSeconds(offset), "test",
                new EvaluationRecorded(EntityType.SESSION, Map.of("score", offset))), TopicRole.EVALUATIONS,
                "t.evaluations", 0, offset, CONSUMED);
    }

    private static Document update(PlannedWrite write) {
        var bson = ((UpdateOneModel<Document>) write.model()).getUpdate()
                .toBsonDocument(Document.class, MongoClientSettings.getDefaultCodecRegistry());
        return Document.parse(bson.toJson());
    }
}
