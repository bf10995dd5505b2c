package dev.mtp.reconciler.topology;

import dev.mtp.cachestore.VersionVector;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.common.projection.SessionState;
import dev.mtp.reconciler.shadow.Desired;
import dev.mtp.reconciler.shadow.ShadowEntry;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DueChecksTest {

    final DueChecks due = new DueChecks();
    /** The entries as stored, which a header reads its payload back from. */
    final Map<String, ShadowEntry> store = new HashMap<>();

    /** A checkable entry of {@code key} stored with its check at {@code checkAt}, and the header a check keeps. */
    ShadowEntry stored(String key, long checkAt) {
        ShadowEntry e = ShadowEntry.session(key, SessionState.empty(key),
                Desired.absent(Desired.Presence.NONE, "NONE", VersionVector.session(TestVersions.s(checkAt),
                        TestVersions.i(0))), checkAt - 5)
                .withCheckAt(checkAt);
        store.put(key, e);
        return e.header(store::get);
    }

    @Test
    void checksComeOutInDueOrderThenInTheOrderArmed() {
        due.arm(stored("b", 200));
        due.arm(stored("c", 100));
        due.arm(stored("a", 200));
        due.arm(stored("d", 300));

        assertThat(due.nextAt()).isEqualTo(100);
        assertThat(due.takeNext().key()).isEqualTo("c");
        assertThat(due.takeNext().key()).isEqualTo("b");
        assertThat(due.takeNext().key()).isEqualTo("a");
        assertThat(due.takeNext().key()).isEqualTo("d");
        assertThat(due.nextAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void checksPutBackOrRearmedAtAnotherTimeComeOutOnceAtTheirNewTime() {
        due.arm(stored("a", 100));
        due.arm(stored("b", 200));
        due.arm(stored("c", 300));
        due.arm(stored("a", 400));
        DueChecks.Check b = due.takeNext();
        assertThat(b.key()).as("a's first time is stale").isEqualTo("b");
        due.putBack(b, 350);

        assertThat(due.size()).isEqualTo(3);
        assertThat(due.nextAt()).isEqualTo(300);
        assertThat(due.takeNext().key()).isEqualTo("c");
        assertThat(due.doneThrough(1_000)).as("b's entry still says 200").isEqualTo(199);
        assertThat(due.takeNext().key()).isEqualTo("b");
        assertThat(due.nextAt()).isEqualTo(400);
        assertThat(due.takeNext().key()).isEqualTo("a");
        assertThat(due.nextAt()).isEqualTo(Long.MAX_VALUE);
        assertThat(due.doneThrough(1_000)).isEqualTo(999);
    }

    @Test
    void manyKeysArmedAgainAndCancelledLeaveExactlyTheLiveChecksInDueOrder() {
        Random random = new Random(7);
        Map<String, Long> expected = new HashMap<>();
        long now = 1_000;
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(500);
            now += random.nextInt(3);
            if (random.nextInt(10) == 0) {
                due.cancel(key);
                expected.remove(key);
            } else {
                long at = expected.containsKey(key) && random.nextBoolean() ? expected.get(key) : now + 5_000;
                due.arm(stored(key, at));
                expected.put(key, at);
            }
        }

        assertThat(due.size()).isEqualTo(expected.size());
        long last = Long.MIN_VALUE;
        while (due.nextAt() != Long.MAX_VALUE) {
            long at = due.nextAt();
            DueChecks.Check check = due.takeNext();
            assertThat(at).isGreaterThanOrEqualTo(last).isEqualTo(expected.remove(check.key()));
            last = at;
        }
        assertThat(expected).isEmpty();
    }

    @Test
    void aKeyArmedAgainKeepsOnlyItsNewTimeAndEntry() {
        due.arm(stored("a", 100));
        ShadowEntry newer = stored("a", 300);
        due.arm(newer);

        assertThat(due.size()).isEqualTo(1);
        assertThat(due.pending("a")).isTrue();
        assertThat(due.nextAt()).isEqualTo(300);
        assertThat(due.header("a")).isSameAs(newer);

        ShadowEntry atTheSameTime = stored("a", 300);
        due.arm(atTheSameTime);
        assertThat(due.size()).isEqualTo(1);
        assertThat(due.doneThrough(1_000)).isEqualTo(299);
        assertThat(due.takeNext().entry()).isSameAs(atTheSameTime);
        assertThat(due.doneThrough(1_000)).isEqualTo(999);
    }

    @Test
    void aCancelledOrTakenCheckIsNoLongerPending() {
        due.arm(stored("a", 100));
        due.arm(stored("b", 200));
        due.cancel("b");
        due.takeNext();

        assertThat(due.pending("a")).isFalse();
        assertThat(due.pending("b")).isFalse();
        assertThat(due.size()).isZero();
        assertThat(due.nextAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void doneThroughStaysBelowTheOldestStoredCheckStillPendingEvenWhenPutOffInMemory() {
        assertThat(due.doneThrough(1_000)).as("nothing pending: all done before now").isEqualTo(999);
        due.arm(stored("a", 100));
        due.arm(stored("b", 200));
        assertThat(due.doneThrough(1_000)).isEqualTo(99);

        DueChecks.Check a = due.takeNext();
        assertThat(due.doneThrough(1_000)).as("a ran").isEqualTo(199);
        due.putBack(a, 500);
        assertThat(due.doneThrough(1_000)).as("a put off, its entry still says 100").isEqualTo(99);
        assertThat(due.nextAt()).isEqualTo(200);

        due.arm(stored("a", 500));
        assertThat(due.doneThrough(1_000)).as("a stored again at its new time").isEqualTo(199);
    }

    @Test
    void aCheckNoEntryRecordsNeitherHoldsDoneThroughNorDisplacesAStoredOne() {
        ShadowEntry swept = stored("a", 100);
        due.putBack(new DueChecks.Check(swept, DueChecks.Check.NOT_STORED), 400);
        assertThat(due.doneThrough(1_000)).isEqualTo(999);
        assertThat(due.pending("a")).isTrue();

        due.arm(stored("b", 300));
        due.putBack(new DueChecks.Check(stored("b", 300), DueChecks.Check.NOT_STORED), 900);
        assertThat(due.doneThrough(1_000)).isEqualTo(299);
        assertThat(due.at("b", 0)).isEqualTo(300);
    }

    @Test
    void aHeaderReadsItsPayloadBackOnlyFromTheEntryItWasTakenFrom() {
        ShadowEntry header = stored("a", 100);
        assertThat(header.state().sessionId()).isEqualTo("a");

        ShadowEntry stale = stored("b", 100);
        stored("b", 200);
        assertThatThrownBy(stale::state).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stored entry of b");
    }
}
