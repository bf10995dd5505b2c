package dev.mtp.common.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HistogramTest {

    @Test
    void weightsSumsAndQuantilesAtBucketBounds() {
        Histogram h = new Histogram(Histogram.Scale.REUSE_SECONDS);
        h.add(30, 1);
        h.add(300, 2);
        h.add(1000, 1);

        assertThat(h.total()).isEqualTo(4);
        assertThat(h.weightAtMost(300)).isEqualTo(3);      // 30 and both 300s
        assertThat(h.weightAtMost(900)).isEqualTo(3);      // 1000 lies in (900, 1200]
        assertThat(h.sumOfMin(300)).isEqualTo(930);        // 30 + 2 * 300 + 300 (capped)
        assertThat(h.sumOfMin(1800)).isEqualTo(1630);      // 30 + 600 + 1000
        assertThat(h.quantileBound(0.5)).isEqualTo(300);   // the 2nd of 4 lies in (180, 300]
        assertThat(h.quantileBound(1.0)).isEqualTo(1200);
        assertThat(h.mean()).isEqualTo(407.5);             // (30 + 600 + 1000) / 4
    }

    @Test
    void everySeedTtlIsABound() {
        assertThat(Histogram.Scale.REUSE_SECONDS.bounds()).contains(300, 900, 1800, 3600);
    }

    @Test
    void storedFormRoundTripsAndAddsUp() {
        Histogram h = new Histogram(Histogram.Scale.LATENCY_MS);
        h.add(0.4, 1);
        h.add(12, 3);
        assertThat(h.toStored()).containsOnlyKeys("1", "10"); // (0.25, 0.5] and (10, 15]: empty buckets are left out
        Histogram back = Histogram.fromStored(Histogram.Scale.LATENCY_MS, h.toStored());
        back.addAll(h);

        assertThat(back.total()).isEqualTo(8);
        assertThat(back.sumOfMin(2500)).isCloseTo(2 * (0.4 + 36), within(1e-9));
        assertThat(new Histogram(Histogram.Scale.LATENCY_MS).quantileBound(0.5)).isNaN();
        assertThatThrownBy(() -> back.addAll(new Histogram(Histogram.Scale.REUSE_SECONDS)))
                .hasMessageContaining("cannot add a REUSE_SECONDS histogram to a LATENCY_MS one");
        assertThatThrownBy(() -> Histogram.fromStored(Histogram.Scale.LATENCY_MS, java.util.Map.of("22", java.util.List.of(1, 2))))
                .hasMessage("not a bucket of a LATENCY_MS histogram: 22=[1, 2]");
    }
}
