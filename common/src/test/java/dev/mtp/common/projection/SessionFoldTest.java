package dev.mtp.common.projection;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SampleEvents;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.projection.SessionState.Lifecycle;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.mtp.common.event.SampleEvents.SESSION;
import static dev.mtp.common.event.SampleEvents.AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionFoldTest {

    private static final Incarnation INCARNATION = Incarnation.ofTopicId("s1s1s1s1AAAAAAAAAAAAAA");

    private static SessionState fold(SessionState state, EventEnvelope event, long offset) {
        return SessionFold.apply(state, event, Version.of(INCARNATION, offset)).state();
    }

    @Test
    void aCreateSetsEveryFieldAndTheStrategy() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.created("WITH_CONTEXT", AT), 4);

        assertThat(s.lifecycle()).isEqualTo(Lifecycle.LIVE);
        assertThat(s.sessionVersion().offset()).isEqualTo(4);
        assertThat(s.interactionsVersion().offset()).isEqualTo(-1);
        assertThat(s.userId()).isEqualTo("user-456");
        assertThat(s.status()).isEqualTo("active");
        assertThat(s.context()).containsExactly(Map.entry("currentTopic", "product_inquiry"));
        assertThat(s.metadata()).containsExactly(Map.entry("source", "web_chat"));
        assertThat(s.strategy()).isEqualTo(SessionCacheStrategy.WITH_CONTEXT);
        assertThat(s.createdAt()).isEqualTo(AT);
        assertThat(s.updatedAt()).isEqualTo(AT);
    }

    @Test
    void aPartialUpdateMergesIntoTheFullStateKeyByKey() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.created("WITH_CONTEXT", AT), 0);
        Map<String, Object> contextPatch = new HashMap<>();
        contextPatch.put("currentTopic", null);
        contextPatch.put("cart", 3);
        s = fold(s, SampleEvents.updated(null, AT.plusSeconds(5), new SessionUpdated(null, "idle", contextPatch, null)), 1);

        assertThat(s.status()).isEqualTo("idle");
        assertThat(s.userId()).isEqualTo("user-456");
        assertThat(s.context()).containsExactly(Map.entry("cart", 3));
        assertThat(s.metadata()).containsExactly(Map.entry("source", "web_chat"));
        assertThat(s.strategy()).as("absent strategy is unchanged").isEqualTo(SessionCacheStrategy.WITH_CONTEXT);
        assertThat(s.createdAt()).isEqualTo(AT);
        assertThat(s.updatedAt()).isEqualTo(AT.plusSeconds(5));
    }

    @Test
    void theProjectionOfAPartialUpdateIsTheProjectionOfTheFullRecord() {
        SessionState viaUpdates = fold(SessionState.empty(SESSION), SampleEvents.created("CRITICAL_ONLY", AT), 0);
        viaUpdates = fold(viaUpdates, SampleEvents.updated("FULL_SESSION", AT.plusSeconds(9),
                new SessionUpdated(null, "idle", Map.of("currentTopic", "pricing"), Map.of("tier", "gold"))), 1);

        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        metadata.put("source", "web_chat");
        metadata.put("tier", "gold");
        EventEnvelope full = SampleEvents.updated("FULL_SESSION", AT.plusSeconds(9), new SessionUpdated("user-456", "idle",
                Map.of("currentTopic", "pricing"), metadata));
        SessionState direct = fold(fold(SessionState.empty(SESSION), SampleEvents.created("CRITICAL_ONLY", AT), 0), full, 1);

        assertThat(SessionProjection.of(viaUpdates)).isEqualTo(SessionProjection.of(direct));
        assertThat(SessionProjection.of(viaUpdates).orElseThrow().strategy()).isEqualTo(SessionCacheStrategy.FULL_SESSION);
    }

    @Test
    void duplicateAndStaleEventsChangeNothing() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.created("CRITICAL_ONLY", AT), 5);
        SessionState after = fold(s, SampleEvents.updated(null, AT.plusSeconds(1), new SessionUpdated(null, "idle", null, null)), 7);

        SessionFold.Folded dup = SessionFold.apply(after, SampleEvents.updated(null, AT, new SessionUpdated(null, "x", null, null)), Version.of(INCARNATION, 7));
        SessionFold.Folded stale = SessionFold.apply(after, SampleEvents.created("FULL_SESSION", AT), Version.of(INCARNATION, 6));

        assertThat(dup.decision()).isEqualTo(Decision.DUPLICATE);
        assertThat(dup.state()).isSameAs(after);
        assertThat(stale.decision()).isEqualTo(Decision.STALE);
        assertThat(stale.state()).isSameAs(after);
    }

    @Test
    void eachTopicGuardsOnlyItsOwnFields() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.created("WITH_CONTEXT", AT), 100);
        // Interaction offsets are lower than the session's: another topic, never compared.
        s = fold(s, SampleEvents.interaction("int-1", "RESPONSE_ONLY", AT.plusSeconds(1)), 3);

        assertThat(s.interactionsVersion().offset()).isEqualTo(3);
        assertThat(s.interactionCount()).isEqualTo(1);
        assertThat(s.lastInteractionId()).isEqualTo("int-1");
        assertThat(s.lastActivityAt()).isEqualTo(AT.plusSeconds(1));
        assertThat(s.sessionVersion().offset()).isEqualTo(100);
    }

    @Test
    void theInteractionCountIsOfDistinctInteractionIds() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.created("WITH_CONTEXT", AT), 0);
        s = fold(s, SampleEvents.interaction("int-1", "RESPONSE_ONLY", AT.plusSeconds(1)), 0);
        s = fold(s, SampleEvents.interaction("int-2", "RESPONSE_ONLY", AT.plusSeconds(2)), 1);
        // The same interaction recorded again (request first, then the response; or a client retry).
        s = fold(s, SampleEvents.interaction("int-1", "RESPONSE_ONLY", AT.plusSeconds(3)), 2);

        assertThat(s.interactionCount()).isEqualTo(2);
        assertThat(s.lastInteractionId()).isEqualTo("int-1");
    }

    @Test
    void interactionsSeenBeforeTheCreateAreCounted() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.interaction("int-1", "RESPONSE_ONLY", AT), 0);
        assertThat(s.lifecycle()).isEqualTo(Lifecycle.UNKNOWN);
        assertThat(SessionProjection.of(s)).isEmpty();

        s = fold(s, SampleEvents.created("WITH_CONTEXT", AT), 0);
        assertThat(SessionProjection.of(s).orElseThrow().fields())
                .containsEntry(dev.mtp.common.strategy.SessionField.INTERACTION_COUNT, 1L);
    }

    @Test
    void aCloseKeepsTheStrategyAndSetsTheStatus() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.created("FULL_SESSION", AT), 0);
        s = fold(s, SampleEvents.closed(AT.plusSeconds(60)), 1);

        assertThat(s.status()).isEqualTo("closed");
        assertThat(s.closedAt()).isEqualTo(AT.plusSeconds(60));
        assertThat(s.strategy()).isEqualTo(SessionCacheStrategy.FULL_SESSION);
        assertThat(s.isLive()).isTrue();
    }

    @Test
    void aDeleteDropsEverythingAndIgnoresLaterUpdatesAndInteractionsUntilACreate() {
        SessionState s = fold(SessionState.empty(SESSION), SampleEvents.created("FULL_SESSION", AT), 0);
        s = fold(s, SampleEvents.interaction("int-1", "RESPONSE_ONLY", AT), 0);
        s = fold(s, SampleEvents.deleted(AT.plusSeconds(1)), 1);

        assertThat(s.lifecycle()).isEqualTo(Lifecycle.DELETED);
        assertThat(s.userId()).isNull();
        assertThat(s.interactionCount()).isZero();
        assertThat(SessionProjection.of(s)).isEmpty();

        s = fold(s, SampleEvents.updated(null, AT.plusSeconds(2), new SessionUpdated(null, "active", null, null)), 2);
        s = fold(s, SampleEvents.interaction("int-2", "RESPONSE_ONLY", AT.plusSeconds(2)), 1);
        assertThat(s.lifecycle()).isEqualTo(Lifecycle.DELETED);
        assertThat(s.sessionVersion().offset()).isEqualTo(2);
        assertThat(s.interactionsVersion().offset()).isEqualTo(1);
        assertThat(s.interactionCount()).isZero();

        s = fold(s, SampleEvents.created("CRITICAL_ONLY", AT.plusSeconds(3)), 3);
        assertThat(s.isLive()).isTrue();
        assertThat(s.createdAt()).isEqualTo(AT.plusSeconds(3));
        assertThat(s.interactionCount()).isZero();
    }

    @Test
    void anUpdateOfAnUnknownSessionCreatesNothing() {
        SessionState s = fold(SessionState.empty(SESSION),
                SampleEvents.updated("FULL_SESSION", AT, new SessionUpdated("user-1", "active", null, null)), 0);
        assertThat(s.lifecycle()).isEqualTo(Lifecycle.UNKNOWN);
        assertThat(s.sessionVersion().offset()).isZero();
        assertThat(SessionProjection.of(s)).isEmpty();
    }

    @Test
    void theEventsOfTheConsumedIncarnationSupersedeAStateBuiltFromAnotherWhateverItsOffsets() {
        Incarnation recreated = Incarnation.ofTopicId("NEWNEWNEWAAAAAAAAAAAAA");
        SessionState old = fold(SessionState.empty(SESSION), SampleEvents.created("CRITICAL_ONLY", AT), 500);
        old = fold(old, SampleEvents.interaction("int-1", "RESPONSE_ONLY", AT), 70);

        SessionFold.Folded paused = SessionFold.apply(old, SampleEvents.updated(null, AT.plusSeconds(1),
                new SessionUpdated(null, "paused", null, null)), Version.of(recreated, 1));
        SessionFold.Folded answered = SessionFold.apply(paused.state(),
                SampleEvents.interaction("int-2", "RESPONSE_ONLY", AT.plusSeconds(2)), Version.of(recreated, 0));

        assertThat(paused.decision()).isEqualTo(Decision.APPLY);
        assertThat(answered.state().status()).isEqualTo("paused");
        assertThat(answered.state().sessionVersion()).isEqualTo(Version.of(recreated, 1));
        assertThat(answered.state().interactionsVersion()).isEqualTo(Version.of(recreated, 0));
        assertThat(answered.state().lastInteractionId()).isEqualTo("int-2");
        assertThat(SessionFold.apply(answered.state(), SampleEvents.closed(AT), Version.of(recreated, 0)).decision())
                .isEqualTo(Decision.STALE);
    }

    @Test
    void evaluationsAreNotFolded() {
        assertThatThrownBy(() -> SessionFold.apply(SessionState.empty("session-123"),
                dev.mtp.common.event.SampleEvents.evaluationRecorded(), Version.of(INCARNATION, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evaluation.recorded");
    }

    @Test
    void replayingEveryPrefixAgainInAnyBatchingEndsInTheSameState() {
        List<EventEnvelope> sessionEvents = List.of(SampleEvents.created("CRITICAL_ONLY", AT),
                SampleEvents.updated("WITH_CONTEXT", AT.plusSeconds(1), new SessionUpdated(null, "idle", Map.of("a", 1), null)),
                SampleEvents.closed(AT.plusSeconds(2)));
        List<EventEnvelope> interactions = List.of(SampleEvents.interaction("i1", "RESPONSE_ONLY", AT),
                SampleEvents.interaction("i2", "RESPONSE_ONLY", AT.plusSeconds(1)));
        SessionState once = SessionState.empty(SESSION);
        for (int i = 0; i < sessionEvents.size(); i++) {
            once = fold(once, sessionEvents.get(i), i);
        }
        for (int i = 0; i < interactions.size(); i++) {
            once = fold(once, interactions.get(i), i);
        }
        // Every event delivered again, the two topics interleaved in a random order.
        Random random = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            SessionState s = once;
            List<long[]> order = new ArrayList<>();
            for (int i = 0; i < sessionEvents.size(); i++) order.add(new long[] {0, i});
            for (int i = 0; i < interactions.size(); i++) order.add(new long[] {1, i});
            Collections.shuffle(order, random);
            for (long[] o : order) {
                EventEnvelope e = o[0] == 0 ? sessionEvents.get((int) o[1]) : interactions.get((int) o[1]);
                s = fold(s, e, o[1]);
            }
            assertThat(s).isEqualTo(once);
        }
    }
}
