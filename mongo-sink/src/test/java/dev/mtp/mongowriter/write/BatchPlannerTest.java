package dev.mtp.mongowriter.write;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The phases one batch is planned as, without a server: what each phase writes, and what it leaves to the next. */
class BatchPlannerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Incarnation CONSUMED = new Incarnation("Consumed");
    private final WriteContext ctx = new WriteContext(new UserMapCodec(32), Date.from(T0));
    /** What the writer knows of each document: nothing until a test applies a write to it. */
    private final Map<Target, Map<String, Known>> known = new EnumMap<>(Target.class);
    private final BatchPlanner.Beliefs beliefs =
            (target, id) -> known.computeIfAbsent(target, t -> new HashMap<>()).computeIfAbsent(id, k -> Known.nothing());

    @Test
    void phaseOneWritesEachInteractionOnceThenTheEvaluationsAndTheDataTheyAttachToTheirInteraction() {
        SourcedEvent first = interaction("s-1", "i-1", 1);
        SourcedEvent second = interaction("s-1", "i-1", 2);
        SourcedEvent onInteraction = evaluation("s-1", EntityType.INTERACTION, "i-1", 3);
        SourcedEvent onSession = evaluation("s-1", EntityType.SESSION, "s-1", 4);

        BatchPlanner planner = new BatchPlanner(ctx, beliefs, List.of(onSession, second, first, onInteraction));

        List<PlannedWrite> writes = retried(planner.entities());
        assertThat(writes).extracting(PlannedWrite::kind).containsExactly(PlannedWrite.Kind.INTERACTION_DOCUMENT,
                PlannedWrite.Kind.EVALUATION_DOCUMENT, PlannedWrite.Kind.EVALUATION_DOCUMENT,
                PlannedWrite.Kind.EVALUATION_ON_INTERACTION);
        assertThat(writes.get(0).events()).as("in offset order").containsExactly(first, second);
        assertThat(writes.get(3).events()).containsExactly(onInteraction);
        assertThat(planner.erased()).isEmpty();
    }

    @Test
    void aDeletionInTheBatchErasesItsSessionsEarlierInteractionsAndEvaluationsInsteadOfWritingThem() {
        SourcedEvent before = interaction("s-1", "i-1", 1);
        SourcedEvent evaluated = evaluation("s-1", EntityType.SESSION, "s-1", 2);
        SourcedEvent deleted = session("s-1", 3, new SessionDeleted("user"));
        SourcedEvent after = interaction("s-1", "i-2", 4);

        BatchPlanner planner = new BatchPlanner(ctx, beliefs, List.of(before, evaluated, deleted, after));

        assertThat(planner.erased()).extracting(Skipped::event, Skipped::reason).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(before, Skipped.Reason.ERASED),
                org.assertj.core.groups.Tuple.tuple(evaluated, Skipped.Reason.ERASED));
        List<PlannedWrite.Resolution> entities = planner.entities();
        assertThat(retried(entities)).extracting(PlannedWrite::id).containsExactly("i-2");
        assertThat(entities).flatExtracting(PlannedWrite.Resolution::cleanups).extracting(PlannedWrite::kind)
                .containsOnly(PlannedWrite.Kind.ERASURE);
    }

    @Test
    void theCreatorOfAnInteractionIsTheEventWhoseVersionItsDocumentKeepsAsFirstOncePhaseOneIsApplied() {
        SourcedEvent first = interaction("s-1", "i-1", 5);
        SourcedEvent second = interaction("s-1", "i-1", 6);
        BatchPlanner planner = new BatchPlanner(ctx, beliefs, List.of(first, second));
        assertThat(planner.creators()).as("before phase 1 nothing was created").isEmpty();

        PlannedWrite document = retried(planner.entities()).get(0);
        document.applied().update(beliefs.of(Target.INTERACTIONS, "i-1"), true);

        assertThat(planner.creators()).containsExactly(first);
    }

    @Test
    void phaseTwoChainsEachSessionsFoldAndTheSummariesWrittenNowAndLeavesTheOthersToTheWindow() {
        SourcedEvent update = session("s-1", 1, new SessionUpdated(null, "busy", null, null));
        SourcedEvent ofOne = interaction("s-1", "i-1", 2);
        SourcedEvent ofTwo = interaction("s-2", "i-2", 3);
        BatchPlanner planner = new BatchPlanner(ctx, beliefs, List.of(update, ofOne, ofTwo));

        SessionWork work = planner.sessionWork(Set.of(ofOne, ofTwo), Set.of(), Map.of());
        assertThat(work.folds()).containsOnlyKeys("s-1");
        assertThat(work.interactionLanes()).containsOnlyKeys("s-1", "s-2");
        assertThat(work.interactionLanes().get("s-1")).singleElement()
                .satisfies(lane -> assertThat(lane.creator()).isTrue());

        List<PlannedWrite> sessions = retried(planner.sessions(work, Set.of("s-1")));
        assertThat(sessions).extracting(PlannedWrite::kind, PlannedWrite::id).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PlannedWrite.Kind.SESSION_FOLD, "s-1"),
                org.assertj.core.groups.Tuple.tuple(PlannedWrite.Kind.INTERACTION_SUMMARY, "s-1"));
        assertThat(planner.erasedSummaries(work)).isEmpty();
    }

    @Test
    void theSummariesOfASessionDeletedInTheBatchAreWrittenInPhaseThreeAfterItsDeletion() {
        SourcedEvent deleted = session("s-1", 1, new SessionDeleted("user"));
        SourcedEvent after = interaction("s-1", "i-1", 2);
        BatchPlanner planner = new BatchPlanner(ctx, beliefs, List.of(deleted, after));

        SessionWork work = planner.sessionWork(Set.of(after), Set.of(), Map.of());

        assertThat(work.erasing()).containsExactly("s-1");
        assertThat(retried(planner.sessions(work, Set.of("s-1")))).extracting(PlannedWrite::kind)
                .doesNotContain(PlannedWrite.Kind.INTERACTION_SUMMARY);
        assertThat(retried(planner.erasedSummaries(work))).extracting(PlannedWrite::kind)
                .containsExactly(PlannedWrite.Kind.INTERACTION_SUMMARY);
    }

    @Test
    void eventsTheStoreRejectedAreLeftOutOfTheSessionWork() {
        SourcedEvent update = session("s-1", 1, new SessionUpdated(null, "busy", null, null));
        SourcedEvent refused = interaction("s-1", "i-1", 2);
        BatchPlanner planner = new BatchPlanner(ctx, beliefs, List.of(update, refused));
        Map<SourcedEvent, Throwable> rejected = new IdentityHashMap<>();
        rejected.put(update, new IllegalArgumentException("too large"));
        rejected.put(refused, new IllegalArgumentException("too large"));

        SessionWork work = planner.sessionWork(Set.of(), Set.of(), rejected);

        assertThat(work.folds()).isEmpty();
        assertThat(work.interactionLanes()).isEmpty();
    }

    @Test
    void heldSummariesAreOneWritePerSessionAndLaneOfWhatWasHeld() {
        SourcedEvent interaction = interaction("s-1", "i-1", 1);
        SourcedEvent evaluation = evaluation("s-2", EntityType.SESSION, "s-2", 2);
        Map<String, List<LaneEvent>> held = Map.of(
                "s-1", List.of(LaneEvent.interaction(interaction, true).held()),
                "s-2", List.of(LaneEvent.evaluation(evaluation, true).held()));

        List<PlannedWrite> writes = retried(BatchPlanner.heldSummaries(ctx, beliefs, List.of(held)));

        assertThat(writes).extracting(PlannedWrite::kind, PlannedWrite::id).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(PlannedWrite.Kind.INTERACTION_SUMMARY, "s-1"),
                org.assertj.core.groups.Tuple.tuple(PlannedWrite.Kind.EVALUATION_SUMMARY, "s-2"));
    }

    @Test
    void aRecordOfTheDeadLetterTopicIsNotOneToWrite() {
        SourcedEvent letter = new SourcedEvent(envelope("s-1", "s-1", 1, null, new SessionDeleted("user")),
                TopicRole.DEAD_LETTER, "t.deadletter", 0, 1, CONSUMED);

        assertThatThrownBy(() -> new BatchPlanner(ctx, beliefs, List.of(letter)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.deadletter");
    }

    private static List<PlannedWrite> retried(List<PlannedWrite.Resolution> plans) {
        return plans.stream().flatMap(plan -> plan.retry().stream()).toList();
    }

    private static SourcedEvent session(String sessionId, long offset, EventPayload payload) {
        return new SourcedEvent(envelope(sessionId, sessionId, offset, null, payload), TopicRole.SESSIONS, "t.sessions", 0,
                offset, CONSUMED);
    }

    private static SourcedEvent interaction(String sessionId, String id, long offset) {
        return new SourcedEvent(envelope(sessionId, id, offset, "FULL_INTERACTION",
                new InteractionRecorded("user", "q", "a", Map.of(), Map.of(), 1L)),
                TopicRole.INTERACTIONS, "t.interactions", 0, offset, CONSUMED);
    }

    private static SourcedEvent evaluation(String sessionId, EntityType about, String entityId, long offset) {
        return new SourcedEvent(envelope(sessionId, entityId, offset, null,
                new EvaluationRecorded(about, Map.of("score", offset))), TopicRole.EVALUATIONS, "t.evaluations", 0,
                offset, CONSUMED);
    }

    private static EventEnvelope envelope(String sessionId, String entityId, long offset, String strategy,
                                          EventPayload payload) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, entityId, strategy, T0.plusSeconds(offset), "test",
                payload);
    }
}
