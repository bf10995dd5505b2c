package dev.mtp.reconciler.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DueChecksTest {

    final DueChecks due = new DueChecks();

    @Test
    void checksComeOutInDueOrderThenByKey() {
        due.arm("b", 200);
        due.arm("c", 100);
        due.arm("a", 200);

        assertThat(due.nextAt()).isEqualTo(100);
        assertThat(due.takeNext()).isEqualTo("c");
        assertThat(due.takeNext()).isEqualTo("a");
        assertThat(due.takeNext()).isEqualTo("b");
        assertThat(due.nextAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aKeyArmedAgainKeepsOnlyItsNewTime() {
        due.arm("a", 100);
        due.arm("a", 300);

        assertThat(due.size()).isEqualTo(1);
        assertThat(due.pending("a")).isTrue();
        assertThat(due.nextAt()).isEqualTo(300);
    }

    @Test
    void aCancelledOrTakenCheckIsNoLongerPending() {
        due.arm("a", 100);
        due.arm("b", 200);
        due.cancel("b");
        due.takeNext();

        assertThat(due.pending("a")).isFalse();
        assertThat(due.pending("b")).isFalse();
        assertThat(due.size()).isZero();
        assertThat(due.nextAt()).isEqualTo(Long.MAX_VALUE);
    }
}
