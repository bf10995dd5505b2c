package dev.mtp.common.projection;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SampleEvents;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;

import static dev.mtp.common.event.SampleEvents.SESSION;
import static dev.mtp.common.event.SampleEvents.AT;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectionTest {

    private static SessionState live(String strategy) {
        SessionState s = SessionFold.apply(SessionState.empty(SESSION), SampleEvents.created(strategy, AT), Version.of(Incarnation.UNKNOWN, 0)).state();
        return SessionFold.apply(s, SampleEvents.interaction("int-789", "RESPONSE_ONLY", AT.plusSeconds(10)), Version.of(Incarnation.UNKNOWN, 0)).state();
    }

    @Test
    void criticalOnlyIsStatusIdsAndTimestampsForAnHour() {
        Projection<SessionField> p = SessionProjection.of(live("CRITICAL_ONLY")).orElseThrow();

        assertThat(p.fields()).containsOnlyKeys(SessionField.SESSION_ID, SessionField.USER_ID, SessionField.STATUS,
                SessionField.CREATED_AT, SessionField.UPDATED_AT, SessionField.LAST_ACTIVITY_AT);
        assertThat(p.get(SessionField.STATUS)).isEqualTo("active");
        assertThat(p.get(SessionField.LAST_ACTIVITY_AT)).isEqualTo(AT.plusSeconds(10));
        assertThat(p.expireAt()).isEqualTo(AT.plusSeconds(10).plus(Duration.ofHours(1)));
    }

    @Test
    void withContextAddsContextAndCountForHalfAnHour() {
        Projection<SessionField> p = SessionProjection.of(live("WITH_CONTEXT")).orElseThrow();

        assertThat(p.fields()).containsOnlyKeys(SessionField.SESSION_ID, SessionField.USER_ID, SessionField.STATUS,
                SessionField.CREATED_AT, SessionField.UPDATED_AT, SessionField.LAST_ACTIVITY_AT,
                SessionField.CONTEXT, SessionField.INTERACTION_COUNT);
        assertThat(p.get(SessionField.CONTEXT)).isEqualTo(Map.of("currentTopic", "product_inquiry"));
        assertThat(p.get(SessionField.INTERACTION_COUNT)).isEqualTo(1L);
        assertThat(p.expireAt()).isEqualTo(AT.plusSeconds(10).plus(Duration.ofMinutes(30)));
    }

    @Test
    void fullSessionIsCompleteForFifteenMinutes() {
        Projection<SessionField> p = SessionProjection.of(live("FULL_SESSION")).orElseThrow();

        assertThat(p.fields()).containsOnlyKeys(SessionField.values());
        assertThat(p.get(SessionField.LAST_INTERACTION_ID)).isEqualTo("int-789");
        assertThat(p.get(SessionField.CACHE_STRATEGY)).isEqualTo("FULL_SESSION");
        assertThat(p.expireAt()).isEqualTo(AT.plusSeconds(10).plus(Duration.ofMinutes(15)));
    }

    @Test
    void noneCachesNothingAndAStrategyChangeReshapes() {
        SessionState s = live("FULL_SESSION");
        SessionState none = SessionFold.apply(s, SampleEvents.updated("NONE", AT.plusSeconds(20),
                new SessionUpdated(null, null, null, null)), Version.of(Incarnation.UNKNOWN, 1)).state();
        assertThat(SessionProjection.of(none)).isEmpty();

        SessionState critical = SessionFold.apply(none, SampleEvents.updated("CRITICAL_ONLY", AT.plusSeconds(30),
                new SessionUpdated(null, null, null, null)), Version.of(Incarnation.UNKNOWN, 2)).state();
        Projection<SessionField> p = SessionProjection.of(critical).orElseThrow();
        assertThat(p.strategy()).isEqualTo(SessionCacheStrategy.CRITICAL_ONLY);
        assertThat(p.fields()).doesNotContainKeys(SessionField.CONTEXT, SessionField.METADATA);
        assertThat(p.expireAt()).isEqualTo(AT.plusSeconds(30).plus(Duration.ofHours(1)));
    }

    @ParameterizedTest
    @EnumSource(InteractionCacheStrategy.class)
    void interactionsCarryTheirStrategysFieldsAndTtl(InteractionCacheStrategy strategy) {
        EventEnvelope e = SampleEvents.interaction("int-789", strategy.name(), AT);
        var p = InteractionProjection.of(e);
        if (!strategy.caches()) {
            assertThat(p).isEmpty();
            assertThat(InteractionProjection.latestResponse(e)).isEmpty();
            return;
        }
        assertThat(p.orElseThrow().fields()).containsOnlyKeys(strategy.fields());
        assertThat(p.orElseThrow().expireAt()).isEqualTo(AT.plus(strategy.ttl().orElseThrow()));
        var latest = InteractionProjection.latestResponse(e).orElseThrow();
        assertThat(latest.fields()).containsOnlyKeys(InteractionField.INTERACTION_ID, InteractionField.SESSION_ID,
                InteractionField.RESPONSE, InteractionField.RECORDED_AT);
        assertThat(latest.get(InteractionField.RESPONSE)).isEqualTo("Our product offers...");
        assertThat(latest.expireAt()).isEqualTo(p.orElseThrow().expireAt());
    }

    @Test
    void interactionIdDigestsAreStable() {
        // FNV-1a 64 of "a": a published test vector, so other languages can compute the same set.
        assertThat(InteractionIdSet.digest("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(InteractionIdSet.EMPTY.with("x").with("y").with("x").size()).isEqualTo(2);
        assertThat(InteractionIdSet.ofDigests(InteractionIdSet.EMPTY.with("x").with("y").digests()))
                .isEqualTo(InteractionIdSet.EMPTY.with("y").with("x"));
    }
}
