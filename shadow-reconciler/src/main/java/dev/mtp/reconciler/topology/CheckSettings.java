package dev.mtp.reconciler.topology;

import java.time.Duration;

/**
 * How the stream threads pace their checks (docs/decisions/0005-shadow-reconciler.md).
 *
 * @param checkDelay        a key is checked this long after its last change
 * @param sweepPeriod       every key is checked once per period
 * @param maxChecksPerSecond     ceiling of the check rate
 * @param recoveryChecksPerSecond ceiling of the check rate during a recovery sweep
 * @param batchSize         keys per pipelined round
 * @param repair            fix drift, or only report it
 * @param absentRetention   how long an interaction or latest-response key stays in the shadow after it should be gone
 * @param retryBackoff      wait before checking again after Redis did not answer
 * @param tick              how often the check punctuator runs
 * @param tickBudget        most time one punctuation may spend on checks, so the stream thread keeps folding events
 * @param recoveryTickBudget the same during a recovery sweep, when restoring Redis comes first
 */
public record CheckSettings(Duration checkDelay, Duration sweepPeriod, int maxChecksPerSecond,
                            int recoveryChecksPerSecond, int batchSize, boolean repair, Duration absentRetention,
                            Duration retryBackoff, Duration tick, Duration tickBudget,
                            Duration recoveryTickBudget) {

    /** The punctuator's period: short, so targeted checks run close to their due time. */
    public static final Duration TICK = Duration.ofMillis(100);
    /**
     * Per punctuation: at most this much time on checks, then back to folding events. Checks block the stream thread
     * while Redis answers, and Kafka Streams also processes fewer records per loop after each punctuation, so checks
     * get at most a quarter of the thread; a round of 500 keys takes ~10-30 ms here.
     */
    public static final Duration TICK_BUDGET = Duration.ofMillis(25);
    /** During a recovery sweep, putting Redis back comes first, and the fold gets a fifth of the thread. */
    public static final Duration RECOVERY_TICK_BUDGET = Duration.ofMillis(80);
    public static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    public CheckSettings withCheckDelay(Duration delay) {
        return new CheckSettings(delay, sweepPeriod, maxChecksPerSecond, recoveryChecksPerSecond, batchSize, repair,
                absentRetention, retryBackoff, tick, tickBudget, recoveryTickBudget);
    }

    public CheckSettings withSweepPeriod(Duration period) {
        return new CheckSettings(checkDelay, period, maxChecksPerSecond, recoveryChecksPerSecond, batchSize, repair,
                absentRetention, retryBackoff, tick, tickBudget, recoveryTickBudget);
    }

    public CheckSettings withRepair(boolean doRepair) {
        return new CheckSettings(checkDelay, sweepPeriod, maxChecksPerSecond, recoveryChecksPerSecond, batchSize,
                doRepair, absentRetention, retryBackoff, tick, tickBudget, recoveryTickBudget);
    }
}
