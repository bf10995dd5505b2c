package dev.mtp.reconciler.tracking;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerMetricsTest {

    final ReconcilerMetrics metrics = ReconcilerMetrics.inMemory();

    double shadowEntries() {
        return metrics.registry().get("mtp.reconciler.shadow.entries").gauge().value();
    }

    @Test
    void theShadowEntriesGaugeSumsTheLatestSizeOfEveryOpenTask() {
        assertThat(shadowEntries()).isZero();

        metrics.shadowEntries("0_0", 120);
        metrics.shadowEntries("0_1", 30);
        metrics.shadowEntries("0_0", 150);

        assertThat(shadowEntries()).isEqualTo(180);
    }

    @Test
    void aClosedTaskLeavesTheGauge() {
        metrics.shadowEntries("0_0", 120);
        metrics.shadowEntries("0_1", 30);

        metrics.shadowClosed("0_0");

        assertThat(shadowEntries()).isEqualTo(30);
    }
}
