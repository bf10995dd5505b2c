package dev.mtp.ops.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitTest {

    private long now;
    private final List<Long> slept = new ArrayList<>();

    private RateLimit limit(double perSecond) {
        return new RateLimit(perSecond, () -> now, nanos -> {
            slept.add(nanos);
            now += nanos;
        });
    }

    @Test
    void pacesUnitsEvenlyAtTheRate() throws InterruptedException {
        RateLimit limit = limit(1_000);
        for (int i = 0; i < 1_001; i++) {
            limit.acquire();
        }
        assertThat(now).isEqualTo(1_000_000_000L);
        assertThat(slept).hasSize(1_000).allSatisfy(n -> assertThat(n).isEqualTo(1_000_000L));
    }

    @Test
    void aRunThatFellBehindCatchesUpByOneBurstOnly() throws InterruptedException {
        RateLimit limit = limit(1_000);
        limit.acquire();
        now += 5_000_000_000L; // a send took five seconds
        for (int i = 0; i < 101; i++) {
            limit.acquire();
        }
        assertThat(slept).isEmpty(); // the 0.1 s of units behind, and the one due now
        limit.acquire();
        assertThat(slept).containsExactly(1_000_000L);
    }

    @Test
    void zeroDoesNotLimit() throws InterruptedException {
        RateLimit limit = limit(0);
        for (int i = 0; i < 10_000; i++) {
            limit.acquire();
        }
        assertThat(slept).isEmpty();
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatThrownBy(() -> limit(-1)).hasMessageContaining("rate must be 0 (no limit) or more, was -1");
    }
}
