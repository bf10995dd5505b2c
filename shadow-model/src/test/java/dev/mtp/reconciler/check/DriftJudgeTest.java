package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.reconciler.shadow.Desired;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.testkit.Events;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DriftJudgeTest {

    static final String S = "session-123";
    static final Instant T0 = Instant.parse("2026-11-25T10:15:30Z");
    static final long NOW = T0.plusSeconds(10).toEpochMilli();
    static final CacheKeys KEYS = new CacheKeys("mtp:");

    final DriftJudge judge = new DriftJudge(1_000);
    final ValueCodec plain = new ValueCodec(false, 0);
    final ValueCodec deflating = new ValueCodec(true, 0);

    final SessionState v0 = fold(SessionState.empty(S), Events.created(S, "WITH_CONTEXT", T0), 0);
    final SessionState v1 = fold(v0, Events.updated(S, null, T0.plusSeconds(1), "waiting"), 1);

    static SessionState fold(SessionState s, EventEnvelope e, long offset) {
        return SessionFold.apply(s, e, TestVersions.of(e, offset)).state();
    }

    /** The same session folded in an earlier life of the sessions topic. */
    static SessionState foldEarlier(SessionState s, EventEnvelope e, long offset) {
        return SessionFold.apply(s, e, Version.of(TestVersions.EARLIER_SESSIONS, offset)).state();
    }

    static ShadowEntry entry(SessionState s) {
        return ShadowEntry.session(KEYS.session(S), s, ShadowFold.sessionDesired(s, Codecs.DEFAULT), NOW - 6_000);
    }

    StoredKey stored(SessionState s, ValueCodec codec, long expireAt) {
        return stored(s, VersionVector.session(s.sessionVersion(), s.interactionsVersion()), codec, expireAt);
    }

    StoredKey stored(SessionState s, VersionVector at, ValueCodec codec, long expireAt) {
        return new StoredKey(KEYS.session(S), codec.session(SessionProjection.of(s).orElseThrow(), at), expireAt);
    }

    long expiry(SessionState s) {
        return ShadowFold.sessionDesired(s, Codecs.DEFAULT).expireAt();
    }

    static StoredKey absent() {
        return new StoredKey(KEYS.session(S), null, -2);
    }

    @Test
    void theExactValueMatchesWhetherStoredPlainOrDeflated() {
        assertThat(judge.judge(entry(v1), stored(v1, plain, expiry(v1)), NOW)).isEqualTo(Verdict.MATCH);
        assertThat(judge.judge(entry(v1), stored(v1, deflating, expiry(v1)), NOW)).isEqualTo(Verdict.MATCH);
    }

    @Test
    void anAbsentKeyThatShouldHoldAValueIsMissing() {
        assertThat(judge.judge(entry(v1), absent(), NOW).kind()).isEqualTo(DriftKind.MISSING);
    }

    @Test
    void anOlderVersionIsStaleAndRepairedUnderTheGuard() {
        Verdict v = judge.judge(entry(v1), stored(v0, plain, expiry(v0)), NOW);
        assertThat(v.kind()).isEqualTo(DriftKind.STALE);
        assertThat(v.sameVersions()).isFalse();
    }

    @Test
    void aNewerVersionIsAheadNotDrift() {
        assertThat(judge.judge(entry(v0), stored(v1, plain, expiry(v1)), NOW)).isEqualTo(Verdict.AHEAD);
    }

    @Test
    void newerInOneTopicAndOlderInTheOtherIsAheadToo() {
        SessionState withInteraction = fold(v0, Events.interaction(S, "int-1", "RESPONSE_ONLY", T0.plusSeconds(2)), 0);
        // Redis [0,0] vs shadow [1,-1]: some writer has seen an interaction the shadow has not.
        assertThat(judge.judge(entry(v1), stored(withInteraction, plain, expiry(withInteraction)), NOW))
                .isEqualTo(Verdict.AHEAD);
    }

    @Test
    void aMissingTtlAtTheSameVersionIsTtlDriftRepairedByCompareAndSet() {
        Verdict v = judge.judge(entry(v1), stored(v1, plain, -1), NOW);
        assertThat(v.kind()).isEqualTo(DriftKind.TTL);
        assertThat(v.sameVersions()).isTrue();
    }

    @Test
    void anExpiryOffByMoreThanTheToleranceIsTtlDrift() {
        assertThat(judge.judge(entry(v1), stored(v1, plain, expiry(v1) + 60_000), NOW).kind()).isEqualTo(DriftKind.TTL);
        assertThat(judge.judge(entry(v1), stored(v1, plain, expiry(v1) + 900), NOW)).isEqualTo(Verdict.MATCH);
    }

    @Test
    void otherContentUnderTheSameVersionsIsValueDrift() {
        SessionState other = fold(v1, Events.updated(S, null, T0.plusSeconds(1), "tampered"), 2);
        StoredKey forged = new StoredKey(KEYS.session(S), plain.session(SessionProjection.of(other).orElseThrow(),
                VersionVector.session(TestVersions.s(1), Version.NONE)), expiry(v1));
        assertThat(judge.judge(entry(v1), forged, NOW)).isEqualTo(new Verdict(DriftKind.VALUE, true));
    }

    @Test
    void anUnreadableValueIsValueDriftThatAGuardedWriteReplaces() {
        StoredKey garbage = new StoredKey(KEYS.session(S), "hello".getBytes(StandardCharsets.UTF_8), -1);
        assertThat(judge.judge(entry(v1), garbage, NOW)).isEqualTo(new Verdict(DriftKind.VALUE, false));
    }

    @Test
    void aValueOfAStrategyNoneSessionIsUnwanted() {
        SessionState none = fold(v1, Events.updated(S, "NONE", T0.plusSeconds(3), (String) null), 2);
        assertThat(ShadowFold.sessionDesired(none, Codecs.DEFAULT).presence()).isEqualTo(Desired.Presence.NONE);
        assertThat(judge.judge(entry(none), stored(v1, plain, expiry(v1)), NOW))
                .isEqualTo(new Verdict(DriftKind.UNWANTED, false));
        StoredKey tombstone = new StoredKey(KEYS.session(S), ValueCodec.tombstone(
                VersionVector.session(TestVersions.s(2), Version.NONE)), NOW + 300_000);
        assertThat(judge.judge(entry(none), tombstone, NOW)).isEqualTo(Verdict.MATCH);
        assertThat(judge.judge(entry(none), absent(), NOW)).isEqualTo(Verdict.MATCH);
    }

    @Test
    void aKeyThatExpiredOnScheduleIsNotMissingAndOneThatOutlivedItIsUnwanted() {
        long afterExpiry = expiry(v1) + 5_000;
        assertThat(judge.judge(entry(v1), absent(), afterExpiry)).isEqualTo(Verdict.MATCH);
        assertThat(judge.judge(entry(v1), stored(v1, plain, -1), afterExpiry))
                .isEqualTo(new Verdict(DriftKind.UNWANTED, true));
    }

    @Test
    void nothingIsJudgedWithinTheToleranceOfThePlannedExpiry() {
        assertThat(judge.judge(entry(v1), absent(), expiry(v1) - 500)).isEqualTo(Verdict.MATCH);
        assertThat(judge.judge(entry(v1), stored(v1, plain, -1), expiry(v1) + 500)).isEqualTo(Verdict.MATCH);
    }

    @Test
    void aTombstoneAtNewerVersionsIsAheadAndAtOlderOnesMissing() {
        StoredKey newer = new StoredKey(KEYS.session(S),
                ValueCodec.tombstone(VersionVector.session(TestVersions.s(5), Version.NONE)), NOW + 1);
        StoredKey older = new StoredKey(KEYS.session(S),
                ValueCodec.tombstone(VersionVector.session(TestVersions.s(0), Version.NONE)), NOW + 1);
        assertThat(judge.judge(entry(v1), newer, NOW)).isEqualTo(Verdict.AHEAD);
        assertThat(judge.judge(entry(v1), older, NOW).kind()).isEqualTo(DriftKind.MISSING);
    }

    @Test
    void aValueOfAnotherIncarnationIsDriftWhateverItsOffsetsNeverAhead() {
        // Redis holds the session as an earlier life of the topic left it, at offsets far above the shadow's.
        SessionState earlier = foldEarlier(SessionState.empty(S), Events.created(S, "WITH_CONTEXT", T0), 900);
        Verdict v = judge.judge(entry(v1), stored(earlier, plain, expiry(earlier)), NOW);
        assertThat(v).isEqualTo(Verdict.of(DriftKind.OTHER_INCARNATION));
        assertThat(v.kind().isDrift()).isTrue();
        assertThat(v.kind().description()).isEqualTo("other incarnation");
    }

    @Test
    void theSameValueStoredBeforeIncarnationsWereRecordedIsOtherIncarnationNotConsistent() {
        VersionVector untagged = VersionVector.session(new Version(Incarnation.UNKNOWN, 1), Version.NONE);
        assertThat(judge.judge(entry(v1), stored(v1, untagged, plain, expiry(v1)), NOW))
                .isEqualTo(Verdict.of(DriftKind.OTHER_INCARNATION));
    }

    @Test
    void anotherIncarnationInOneComponentIsEnough() {
        SessionState withInteraction = fold(v1, Events.interaction(S, "int-1", "RESPONSE_ONLY", T0.plusSeconds(2)), 4);
        VersionVector otherInteractions = VersionVector.session(TestVersions.s(1),
                Version.of(TestVersions.EARLIER_INTERACTIONS, 4));
        assertThat(judge.judge(entry(withInteraction), stored(withInteraction, otherInteractions, plain,
                expiry(withInteraction)), NOW)).isEqualTo(Verdict.of(DriftKind.OTHER_INCARNATION));
    }

    @Test
    void aTombstoneOfAnotherIncarnationIsDriftWhereAValueIsWantedAndConsistentWhereNoneIs() {
        StoredKey tombstone = new StoredKey(KEYS.session(S), ValueCodec.tombstone(
                VersionVector.session(Version.of(TestVersions.EARLIER_SESSIONS, 50), Version.NONE)), NOW + 1);
        assertThat(judge.judge(entry(v1), tombstone, NOW)).isEqualTo(Verdict.of(DriftKind.OTHER_INCARNATION));
        SessionState none = fold(v1, Events.updated(S, "NONE", T0.plusSeconds(3), (String) null), 2);
        assertThat(judge.judge(entry(none), tombstone, NOW)).isEqualTo(Verdict.MATCH);
    }

    @Test
    void anEntryOfAnEarlierLifeIsJudgedByOffsetsBesideAValueOfThatLife() {
        SessionState e0 = foldEarlier(SessionState.empty(S), Events.created(S, "WITH_CONTEXT", T0), 10);
        SessionState e1 = foldEarlier(e0, Events.updated(S, null, T0.plusSeconds(1), "waiting"), 11);
        assertThat(judge.judge(entry(e1), stored(e1, plain, expiry(e1)), NOW)).isEqualTo(Verdict.MATCH);
        assertThat(judge.judge(entry(e1), stored(e0, plain, expiry(e0)), NOW).kind()).isEqualTo(DriftKind.STALE);
        assertThat(judge.judge(entry(e0), stored(e1, plain, expiry(e1)), NOW)).isEqualTo(Verdict.AHEAD);
        // Beside a value of the life consumed now, the same entry is of another incarnation.
        assertThat(judge.judge(entry(e1), stored(v1, plain, expiry(v1)), NOW))
                .isEqualTo(Verdict.of(DriftKind.OTHER_INCARNATION));
    }

    @Test
    void expiryFollowsTheEventTimeNotTheCheckTime() {
        assertThat(expiry(v1)).isEqualTo(T0.plusSeconds(1).plus(Duration.ofMinutes(30)).toEpochMilli());
    }
}
