package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.testkit.Events;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repairs and incarnations (docs/decisions/0012): a repair supersedes a value of another incarnation only from an entry
 * of the incarnations consumed now; from an entry of an earlier life it keeps such a value.
 */
class RepairPlannerTest {

    static final String S = "session-123";
    static final Instant T0 = Instant.now();
    static final CacheKeys KEYS = new CacheKeys("mtp:");

    final RepairPlanner planner = new RepairPlanner(Codecs.DEFAULT, 300_000, TestVersions.CONSUMED);
    final FakeCache redis = new FakeCache(KEYS, System::currentTimeMillis);
    final CheckRunner runner = new CheckRunner(redis, new DriftJudge(1_000), planner, ReconcilerMetrics.inMemory(),
            SyncTracking.NONE);

    static SessionState created(Version at) {
        return SessionFold.apply(SessionState.empty(S), Events.created(S, "WITH_CONTEXT", T0), at).state();
    }

    static ShadowEntry entry(SessionState s) {
        return ShadowEntry.session(KEYS.session(S), s, ShadowFold.sessionDesired(s, Codecs.DEFAULT), 0);
    }

    static ShadowEntry interactionEntry(Version at) {
        EventEnvelope event = Events.interaction(S, "int-1", "FULL_INTERACTION", T0);
        return ShadowEntry.interaction(KEYS.interaction(S, "int-1"), event, at,
                ShadowFold.interactionDesired(event, VersionVector.of(at), Codecs.DEFAULT), 0);
    }

    void holdInRedis(SessionState s) {
        redis.put(KEYS.session(S), Codecs.DEFAULT.session(SessionProjection.of(s).orElseThrow(),
                VersionVector.session(s.sessionVersion(), s.interactionsVersion())), T0.toEpochMilli() + 1_800_000);
    }

    CheckOutcome check(ShadowEntry e) throws Exception {
        return runner.check(List.of(e), CheckSource.SWEEP, System.currentTimeMillis(), true,
                new CheckRunner.SessionVersions() {
                    @Override
                    public String sessionKey(String sessionId) {
                        return KEYS.session(sessionId);
                    }

                    @Override
                    public VersionVector versions(String sessionId) {
                        return null;
                    }
                }).outcomes().get(0);
    }

    @Test
    void anEntryOfTheIncarnationsConsumedNowSupersedesOnlyAnEntryOfAnEarlierLifeKeeps() {
        assertThat(planner.guardedWrite(entry(created(TestVersions.s(3)))).others())
                .isEqualTo(OtherIncarnations.SUPERSEDE);
        assertThat(planner.guardedWrite(entry(created(Version.of(TestVersions.EARLIER_SESSIONS, 3)))).others())
                .isEqualTo(OtherIncarnations.KEEP);
        SessionState withEarlierInteraction = SessionFold.apply(created(TestVersions.s(3)),
                Events.interaction(S, "int-1", "FULL_INTERACTION", T0),
                Version.of(TestVersions.EARLIER_INTERACTIONS, 9)).state();
        assertThat(planner.guardedWrite(entry(withEarlierInteraction)).others()).isEqualTo(OtherIncarnations.KEEP);

        CacheWrite current = planner.guardedWrite(interactionEntry(TestVersions.i(42)));
        assertThat(current.others()).isEqualTo(OtherIncarnations.SUPERSEDE);
        assertThat(((CacheWrite.PutInteraction) current).version()).isEqualTo(TestVersions.i(42));
        assertThat(planner.guardedWrite(interactionEntry(Version.of(TestVersions.EARLIER_INTERACTIONS, 42))).others())
                .isEqualTo(OtherIncarnations.KEEP);
    }

    @Test
    void aValueOfAnEarlierLifeWithHigherOffsetsIsReplacedFromACurrentEntry() throws Exception {
        holdInRedis(created(Version.of(TestVersions.EARLIER_SESSIONS, 900)));

        CheckOutcome o = check(entry(created(TestVersions.s(0))));

        assertThat(o.result()).isEqualTo(DriftKind.OTHER_INCARNATION);
        assertThat(o.repair()).isEqualTo(RepairOutcome.APPLIED);
        assertThat(o.observedVersions()).isEqualTo("900." + TestVersions.EARLIER_SESSIONS.tag() + ",-1");
        assertThat(ValueCodec.header(redis.get(KEYS.session(S)).value()).versions())
                .isEqualTo(VersionVector.session(TestVersions.s(0), Version.noneIn(TestVersions.INTERACTIONS)));
    }

    @Test
    void anEntryOfAnEarlierLifeNeverTakesACurrentValueBack() throws Exception {
        holdInRedis(created(TestVersions.s(0)));
        byte[] current = redis.get(KEYS.session(S)).value();

        CheckOutcome o = check(entry(created(Version.of(TestVersions.EARLIER_SESSIONS, 900))));

        assertThat(o.result()).isEqualTo(DriftKind.OTHER_INCARNATION);
        assertThat(o.repair()).isEqualTo(RepairOutcome.KEPT);
        assertThat(redis.get(KEYS.session(S)).value()).isEqualTo(current);
    }

    @Test
    void anEntryStoredBeforeIncarnationsWereRecordedIsNotWrittenFrom() throws Exception {
        CheckOutcome o = check(entry(created(new Version(Incarnation.UNKNOWN, 5))));

        assertThat(o.result()).isEqualTo(DriftKind.MISSING);
        assertThat(o.repair()).isEqualTo(RepairOutcome.UNSCOPED);
        assertThat(redis.writes).isEmpty();
        assertThat(redis.get(KEYS.session(S))).isNull();
    }
}
