package dev.mtp.reconciler.topology;

import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.projection.SessionState;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.reconciler.check.CheckSource;
import dev.mtp.reconciler.shadow.Desired;
import dev.mtp.reconciler.shadow.ShadowEntry;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweep's pace, cursor and passes, without a store: the processor feeds it what it reads. */
class SweepTest {
    private static final int BATCH = 500;
    private static final long DELAY_MS = 1_000;
    /** One pass per 100 s, a tick every 100 ms. */
    private static final CheckSettings SETTINGS = new CheckSettings(Duration.ofMillis(DELAY_MS), Duration.ofSeconds(100),
            10_000, 50_000, BATCH, true, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMillis(100),
            Duration.ofMillis(25), Duration.ofMillis(80));

    @Test
    void creditComesAtOnePassPerPeriodAndNoRoundRunsForLessThanATwentiethOfTheShadow() {
        Sweep sweep = new Sweep(SETTINGS, 0, 2_000); // 0.02 keys per ms; a round needs 100 keys

        sweep.tick(1_000);
        assertThat(sweep.wanted()).as("20 keys of credit").isZero();
        sweep.tick(5_000);
        assertThat(sweep.wanted()).isEqualTo(100);
    }

    @Test
    void creditIsCappedSoThatIdleTimeIsNotSavedUp() {
        Sweep sweep = new Sweep(SETTINGS, 0, 2_000);

        sweep.tick(Duration.ofDays(1).toMillis());

        assertThat(sweep.wanted()).isEqualTo(BATCH);
    }

    @Test
    void aRecoveryPassWantsAFullBatchEveryRoundWhateverTheCredit() {
        Sweep sweep = new Sweep(SETTINGS, 0, 2_000);

        assertThat(sweep.startRecovery(10)).isTrue();
        sweep.tick(10);

        assertThat(sweep.recovering()).isTrue();
        assertThat(sweep.mode()).isEqualTo(CheckSource.RECOVERY);
        assertThat(sweep.wanted()).isEqualTo(BATCH);
    }

    @Test
    void aSliceChecksTheSettledJudgeableKeysAfterTheCursorAndCountsEveryKeyPassedOver() {
        Sweep sweep = new Sweep(SETTINGS, 0, 10);
        long now = 10_000;
        List<KeyValue<String, ShadowEntry>> shadow = List.of(kv(checkable("a", 0)), kv(checkable("b", now)),
                kv(unjudgeable("c")), kv(checkable("d", 0)), kv(checkable("e", 0)));

        Sweep.Slice first = sweep.slice(shadow.iterator(), 4, now);
        assertThat(first.checks()).extracting(DueChecks.Check::key).containsExactly("a", "d");
        assertThat(first).extracting(Sweep.Slice::last, Sweep.Slice::scanned, Sweep.Slice::exhausted)
                .containsExactly("d", 4, false);
        sweep.passed(first);
        assertThat(sweep.cursor()).isEqualTo("d");

        Sweep.Slice rest = sweep.slice(shadow.subList(3, 5).iterator(), 4, now); // a range starts at its cursor
        assertThat(rest.checks()).extracting(DueChecks.Check::key).containsExactly("e");
        assertThat(rest).extracting(Sweep.Slice::last, Sweep.Slice::scanned, Sweep.Slice::exhausted)
                .containsExactly("e", 1, true);
    }

    @Test
    void theKeysPassedOverSpendTheCredit() {
        Sweep sweep = new Sweep(SETTINGS, 0, 2_000);
        sweep.tick(10_000); // 200 keys of credit
        assertThat(sweep.wanted()).isEqualTo(200);

        sweep.passed(new Sweep.Slice(List.of(), "k", 150, false));

        assertThat(sweep.wanted()).as("50 keys left, a round needs 100").isZero();
    }

    @Test
    void aPassThatReachesTheEndReportsWhatItFoundAndTheNextStartsFromTheFirstKey() {
        Sweep sweep = new Sweep(SETTINGS, 1_000, 10);
        sweep.passed(new Sweep.Slice(List.of(check("a"), check("b")), "b", 2, true));
        sweep.repaired();

        Sweep.Pass pass = sweep.complete(4_000, 12);

        assertThat(pass).isEqualTo(new Sweep.Pass(CheckSource.SWEEP, 2, 1, 3_000));
        assertThat(sweep.cursor()).isNull();
        assertThat(sweep.complete(5_000, 12)).isEqualTo(new Sweep.Pass(CheckSource.SWEEP, 0, 0, 1_000));
    }

    @Test
    void aRecoveryStartsOverFromTheFirstKeyAndEndsAsAPacedSweep() {
        Sweep sweep = new Sweep(SETTINGS, 0, 10);
        sweep.passed(new Sweep.Slice(List.of(check("a")), "a", 1, false));

        assertThat(sweep.startRecovery(100)).isTrue();
        assertThat(sweep.cursor()).isNull();
        sweep.passed(new Sweep.Slice(List.of(check("a")), "a", 1, false));
        assertThat(sweep.startRecovery(200)).as("already recovering: starts over").isFalse();
        assertThat(sweep.cursor()).isNull();

        Sweep.Pass pass = sweep.complete(700, 10);

        assertThat(pass).isEqualTo(new Sweep.Pass(CheckSource.RECOVERY, 0, 0, 500));
        assertThat(sweep.recovering()).isFalse();
    }

    @Test
    void theShadowsSizeIsReadAgainAtMostOnceASecond() {
        Sweep sweep = new Sweep(SETTINGS, 0, 10);

        assertThat(sweep.sizeDue(999)).isFalse();
        assertThat(sweep.sizeDue(1_000)).isTrue();
        sweep.sized(20, 1_000);
        assertThat(sweep.sizeDue(1_500)).isFalse();
    }

    private static KeyValue<String, ShadowEntry> kv(ShadowEntry e) {
        return KeyValue.pair(e.key(), e);
    }

    private static DueChecks.Check check(String key) {
        return new DueChecks.Check(checkable(key, 0), DueChecks.Check.NOT_STORED);
    }

    /** An entry last changed at {@code changedAt}: settled {@link #DELAY_MS} later. */
    private static ShadowEntry checkable(String key, long changedAt) {
        return entry(key, Desired.Presence.NONE, changedAt);
    }

    /** An entry whose desired state the shadow does not know: nothing to check it against. */
    private static ShadowEntry unjudgeable(String key) {
        return entry(key, Desired.Presence.UNKNOWN, 0);
    }

    private static ShadowEntry entry(String key, Desired.Presence presence, long changedAt) {
        return ShadowEntry.session(key, SessionState.empty(key), Desired.absent(presence, "NONE",
                VersionVector.session(TestVersions.s(1), TestVersions.i(0))), changedAt);
    }
}
