package dev.mtp.cachewriter.plan;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.cachewriter.TestIncarnations;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.runtime.consume.SourcedEvent;
import dev.mtp.testkit.Events;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");
    private final Map<String, SessionState> states = new HashMap<>();
    private final Map<TopicRole, Long> offsets = new HashMap<>();

    private SourcedEvent at(EventEnvelope e, long offset) {
        TopicRole role = e.type().topic();
        return new SourcedEvent(e, role, role.baseName(), 0, offset,
                role == TopicRole.SESSIONS ? TestIncarnations.SESSIONS : TestIncarnations.INTERACTIONS);
    }

    private SourcedEvent next(EventEnvelope e) {
        TopicRole role = e.type().topic();
        long offset = offsets.merge(role, 1L, Long::sum) - 1;
        return at(e, offset);
    }

    private BatchPlan plan(List<SourcedEvent> batch) {
        BatchPlan plan = BatchPlanner.plan(batch, (p, id) -> states.get(id), TestIncarnations.INTERACTIONS);
        states.putAll(plan.changed());
        return plan;
    }

    private static List<Class<?>> kinds(BatchPlan plan) {
        return plan.writes().stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void aSessionWithInteractionsCostsOneWritePerKey() {
        List<SourcedEvent> batch = new ArrayList<>();
        batch.add(next(Events.created("s", "WITH_CONTEXT", NOW)));
        for (int i = 0; i < 5; i++) {
            batch.add(next(Events.interaction("s", "int-" + i, "RESPONSE_ONLY", NOW.plusSeconds(i))));
        }
        BatchPlan plan = plan(batch);

        assertThat(kinds(plan)).containsExactly(CacheWrite.PutSession.class, CacheWrite.PutInteraction.class,
                CacheWrite.PutInteraction.class, CacheWrite.PutInteraction.class, CacheWrite.PutInteraction.class,
                CacheWrite.PutInteraction.class, CacheWrite.PutLatestResponse.class);
        CacheWrite.PutSession session = (CacheWrite.PutSession) plan.writes().get(0);
        assertThat(session.versions().toString()).isEqualTo("0.SeSsIoNs,4.InTeRaCt");
        assertThat(((CacheWrite.PutLatestResponse) plan.writes().get(6)).version()).isEqualTo(TestIncarnations.iv(4));
        assertThat(plan.writes()).as("cache-writer consumes the topics: it supersedes other incarnations")
                .allMatch(w -> w.others() == OtherIncarnations.SUPERSEDE);
        assertThat(plan.sources().get(6)).extracting(e -> e.event().entityId()).containsExactly("int-4");
        assertThat(plan.changed()).containsKey("s");
    }

    @Test
    void aReRecordedInteractionIsWrittenOnceWithItsLastRecord() {
        BatchPlan plan = plan(List.of(
                next(Events.interaction("s", "int-1", "FULL_INTERACTION", NOW)),
                next(Events.interaction("s", "int-1", "NONE", NOW.plusSeconds(1)))));

        assertThat(kinds(plan)).containsExactly(CacheWrite.RemoveInteraction.class,
                CacheWrite.RemoveLatestResponse.class);
        assertThat(plan.changed().get("s").interactionCount()).isEqualTo(1);
    }

    @Test
    void duplicatesAndStaleEventsWriteNothing() {
        SourcedEvent create = next(Events.created("s", "CRITICAL_ONLY", NOW));
        SourcedEvent update = next(Events.updated("s", null, NOW, new SessionUpdated(null, "idle", null, null)));
        plan(List.of(create, update));

        BatchPlan replay = plan(List.of(create, update));

        assertThat(replay.writes()).isEmpty();
        assertThat(replay.changed()).isEmpty();
        assertThat(replay.decided(TopicRole.SESSIONS, Decision.STALE)).isEqualTo(1);
        assertThat(replay.decided(TopicRole.SESSIONS, Decision.DUPLICATE)).isEqualTo(1);
    }

    @Test
    void eventsOfTheConsumedIncarnationSupersedeAStateOfAnotherAtHigherOffsets() {
        Version old = Version.of(new Incarnation("OOOOOOOO"), 90);
        states.put("s", SessionFold.apply(SessionState.empty("s"), Events.created("s", "FULL_SESSION", NOW), old)
                .state());

        BatchPlan plan = plan(List.of(next(Events.updated("s", null, NOW,
                new SessionUpdated(null, "paused", null, null)))));

        assertThat(plan.decided(TopicRole.SESSIONS, Decision.APPLY)).isEqualTo(1);
        assertThat(plan.changed().get("s").status()).isEqualTo("paused");
        assertThat(((CacheWrite.PutSession) plan.writes().get(0)).versions().toString())
                .as("no interaction yet in the consumed incarnation: a summary the key kept from another goes too")
                .isEqualTo("0.SeSsIoNs,-1." + TestIncarnations.INTERACTIONS.tag());
    }

    @Test
    void aStateRestoredFromBeforeIncarnationsKeepsItsUnknownVersionUntilItsTopicWritesAgain() {
        SessionState before = SessionFold.apply(SessionState.empty("s"), Events.created("s", "FULL_SESSION", NOW),
                Version.of(Incarnation.UNKNOWN, 5)).state();
        before = SessionFold.apply(before, Events.interaction("s", "int-1", "RESPONSE_ONLY", NOW),
                Version.of(Incarnation.UNKNOWN, 8)).state();
        states.put("s", before);

        BatchPlan plan = plan(List.of(next(Events.updated("s", null, NOW,
                new SessionUpdated(null, "paused", null, null)))));

        assertThat(((CacheWrite.PutSession) plan.writes().get(0)).versions().toString()).isEqualTo("0.SeSsIoNs,8");
        assertThat(plan.changed().get("s").interactionCount()).isEqualTo(1);
    }

    @Test
    void aStrategyChangeToNoneRemovesWithATombstoneBecauseItWasCached() {
        plan(List.of(next(Events.created("s", "FULL_SESSION", NOW))));
        BatchPlan plan = plan(List.of(next(Events.updated("s", "NONE", NOW,
                new SessionUpdated(null, null, null, null)))));

        assertThat(plan.writes()).singleElement().isEqualTo(new CacheWrite.RemoveSession("s",
                VersionVector.session(TestIncarnations.sv(1), Version.noneIn(TestIncarnations.INTERACTIONS)), true,
                OtherIncarnations.SUPERSEDE));
    }

    @Test
    void aSessionCreatedWithNoneLeavesNoTombstone() {
        BatchPlan plan = plan(List.of(next(Events.created("s", "NONE", NOW))));

        assertThat(plan.writes()).singleElement().isEqualTo(new CacheWrite.RemoveSession("s",
                VersionVector.session(TestIncarnations.sv(0), Version.noneIn(TestIncarnations.INTERACTIONS)), false,
                OtherIncarnations.SUPERSEDE));
    }

    /** An evicted state (decision 0008): the update cannot be projected on a full record, so nothing is written. */
    @Test
    void aPartialUpdateOfASessionWithoutStateRemovesAnyOlderCopyOfItsSessionKey() {
        offsets.put(TopicRole.SESSIONS, 40L);
        BatchPlan plan = plan(List.of(next(Events.updated("s", "FULL_SESSION", NOW,
                new SessionUpdated(null, "active", Map.of("currentTopic", "billing"), null)))));

        // It cannot be projected without the full record; a copy cached before (another incarnation's, after a move
        // to another cluster) must not be read as current: reads fall back to MongoDB, which merged the update.
        assertThat(plan.writes()).singleElement().isEqualTo(new CacheWrite.RemoveSession("s",
                VersionVector.session(TestIncarnations.sv(40), Version.noneIn(TestIncarnations.INTERACTIONS)), false,
                OtherIncarnations.SUPERSEDE));
        assertThat(plan.changed().get("s").lifecycle()).isEqualTo(SessionState.Lifecycle.UNKNOWN);
    }

    @Test
    void aDeleteAndACreateInOneBatchPurgeTheOldIncarnationFirst() {
        plan(List.of(next(Events.created("s", "FULL_SESSION", NOW)),
                next(Events.interaction("s", "int-1", "RESPONSE_ONLY", NOW))));

        BatchPlan plan = plan(List.of(next(Events.deleted("s", NOW.plusSeconds(1))),
                next(Events.created("s", "CRITICAL_ONLY", NOW.plusSeconds(2)))));

        assertThat(kinds(plan)).containsExactly(CacheWrite.PurgeSession.class, CacheWrite.PutSession.class);
        assertThat(((CacheWrite.PurgeSession) plan.writes().get(0)).versions().toString())
                .isEqualTo("1.SeSsIoNs,0.InTeRaCt");
        assertThat(((CacheWrite.PutSession) plan.writes().get(1)).versions().toString())
                .isEqualTo("2.SeSsIoNs,0.InTeRaCt");
    }

    @Test
    void interactionsOfADeletedSessionAreNotCached() {
        plan(List.of(next(Events.created("s", "FULL_SESSION", NOW))));
        BatchPlan plan = plan(List.of(next(Events.interaction("s", "int-1", "RESPONSE_ONLY", NOW)),
                next(Events.deleted("s", NOW))));

        assertThat(kinds(plan)).containsExactly(CacheWrite.PurgeSession.class);
    }

    @Test
    void interactionsBeforeTheCreateAreCachedButNoSessionKeyYet() {
        BatchPlan plan = plan(List.of(next(Events.interaction("s", "int-1", "RESPONSE_ONLY", NOW))));

        assertThat(kinds(plan)).containsExactly(CacheWrite.PutInteraction.class, CacheWrite.PutLatestResponse.class);
    }

    @Test
    void aBatchWithManySessionsPlansEachOnItsOwn() {
        List<SourcedEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(next(Events.created("s" + i, "CRITICAL_ONLY", NOW)));
        }
        BatchPlan plan = plan(batch);

        assertThat(plan.writes()).hasSize(10).allMatch(w -> w instanceof CacheWrite.PutSession);
        assertThat(plan.partitionOf()).hasSize(10);
    }
}
