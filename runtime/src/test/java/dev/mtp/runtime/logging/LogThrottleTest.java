package dev.mtp.runtime.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogThrottleTest {

    @Test
    void logsOneLinePerKeyPerIntervalAndCountsTheLinesHeldBack() {
        LogThrottle<String> throttle = new LogThrottle<>(10_000);

        assertThat(throttle.admit("p0", 1_000)).isZero();
        assertThat(throttle.admit("p0", 2_000)).isEqualTo(LogThrottle.HOLD_BACK);
        assertThat(throttle.admit("p0", 10_999)).isEqualTo(LogThrottle.HOLD_BACK);
        assertThat(throttle.admit("p0", 11_000)).as("two held back since the last line").isEqualTo(2);
        assertThat(throttle.admit("p0", 12_000)).isEqualTo(LogThrottle.HOLD_BACK);
        assertThat(throttle.admit("p0", 30_000)).isEqualTo(1);
    }

    @Test
    void eachKeyHasItsOwnInterval() {
        LogThrottle<String> throttle = new LogThrottle<>(10_000);

        assertThat(throttle.admit("p0", 1_000)).isZero();
        assertThat(throttle.admit("p1", 1_001)).isZero();
        assertThat(throttle.admit("p0", 1_002)).isEqualTo(LogThrottle.HOLD_BACK);
    }

    @Test
    void aNegativeIntervalIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new LogThrottle<String>(-1)).hasMessage("intervalMs: must be 0 or more, was -1");
    }
}
