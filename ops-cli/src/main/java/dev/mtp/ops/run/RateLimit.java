package dev.mtp.ops.run;

import java.util.function.LongSupplier;

/**
 * Paces a command to at most {@code perSecond} units a second: each {@link #acquire()} waits until its unit is due.
 * A run that fell behind (a slow send) may catch up by at most {@link #BURST_SECONDS} of units at once, so the rate
 * over any second stays close to the limit. A rate of 0 does not limit.
 */
public final class RateLimit {

    /** How far behind the schedule a run may fall and still catch up at full speed. */
    static final double BURST_SECONDS = 0.1;

    /** Waits the given nanoseconds. */
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long due = Long.MIN_VALUE;

    public RateLimit(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("rate must be 0 (no limit) or more, was " + perSecond);
        }
        this.intervalNanos = perSecond == 0 ? 0 : Math.max(1, (long) (1e9 / perSecond));
        this.burstNanos = (long) (BURST_SECONDS * 1e9);
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** A limit on the system clock. */
    public static RateLimit perSecond(double perSecond) {
        return new RateLimit(perSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000,
                (int) (nanos % 1_000_000)));
    }

    public void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (due == Long.MIN_VALUE) {
            due = now;
        } else if (due < now - burstNanos) {
            due = now - burstNanos;
        }
        if (due > now) {
            sleeper.sleep(due - now);
        }
        due += intervalNanos;
    }
}
