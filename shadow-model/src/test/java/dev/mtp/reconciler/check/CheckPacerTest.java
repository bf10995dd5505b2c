package dev.mtp.reconciler.check;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CheckPacerTest {

    final AtomicLong nanos = new AtomicLong();
    final CheckPacer pacer = new CheckPacer(1_000, Duration.ofMillis(50), nanos::get);

    void sleep(long ms) {
        nanos.addAndGet(ms * 1_000_000);
    }

    @Test
    void grantsAtMostTheRateOverTime() {
        int granted = pacer.acquire(10_000, 1_000);
        for (int i = 0; i < 100; i++) {
            sleep(10);
            granted += pacer.acquire(10_000, 1_000);
        }
        // one second: the initial burst (a quarter second) plus a second's worth
        assertThat(granted).isBetween(1_000, 1_260);
    }

    @Test
    void slowBatchesHalveTheRateAndFastOnesBringItBack() {
        pacer.observe(Duration.ofMillis(80).toNanos(), 1_000);
        assertThat(pacer.rate()).isEqualTo(500);
        pacer.observe(Duration.ofMillis(80).toNanos(), 1_000);
        assertThat(pacer.rate()).isEqualTo(250);
        pacer.observe(Duration.ofMillis(5).toNanos(), 1_000);
        assertThat(pacer.rate()).isEqualTo(350);
        for (int i = 0; i < 20; i++) {
            pacer.observe(Duration.ofMillis(5).toNanos(), 1_000);
        }
        assertThat(pacer.rate()).isEqualTo(1_000);
    }

    @Test
    void theRateNeverFallsBelowOnePercentOfTheCeiling() {
        for (int i = 0; i < 50; i++) {
            pacer.observe(Duration.ofSeconds(1).toNanos(), 1_000);
        }
        assertThat(pacer.rate()).isEqualTo(10);
    }

    @Test
    void aHigherCeilingLetsTheRateGrowToIt() {
        for (int i = 0; i < 20; i++) {
            pacer.observe(1, 100_000);
        }
        assertThat(pacer.rate()).isEqualTo(100_000);
        assertThat(pacer.acquire(50_000, 1_000)).as("back under the normal ceiling").isLessThanOrEqualTo(250);
    }

    @Test
    void unusedChecksAreGivenBack() {
        int granted = pacer.acquire(100, 1_000);
        pacer.release(granted);
        assertThat(pacer.acquire(100, 1_000)).isEqualTo(granted);
    }
}
