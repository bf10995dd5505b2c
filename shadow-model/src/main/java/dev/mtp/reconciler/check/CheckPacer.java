package dev.mtp.reconciler.check;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How many keys may be checked right now: a token bucket whose rate adapts to Redis (AIMD), shared by every check
 * of one instance (targeted checks, sweep, recovery sweep) across its stream threads.
 *
 * <p>Why AIMD on the batch round trip: the reconciler shares Redis with cache-writer and the readers. A pipelined
 * batch that takes longer than {@code yieldLatency} means Redis (or the network, or this process's CPU) is busy with
 * something more important; the rate halves at once and grows back by a tenth of the ceiling per fast batch. So the
 * checks use what is idle and step aside under live traffic. Non-blocking: a punctuator asks for what it would like
 * and checks what it is given, it never sleeps on the stream thread.
 */
public final class CheckPacer {

    /** The bucket holds at most this much time's worth of tokens: short bursts, no pile-up while idle. */
    private static final double BURST_SECONDS = 0.25;
    /** The rate never drops below this share of the ceiling, so checks keep going under any load. */
    private static final double FLOOR_SHARE = 0.01;

    private final long yieldLatencyNanos;
    private final LongSupplier nanoTime;
    private double rate;
    private double tokens;
    private long lastRefill;

    public CheckPacer(double initialRate, Duration yieldLatency, LongSupplier nanoTime) {
        if (initialRate <= 0) {
            throw new IllegalArgumentException("rate must be > 0");
        }
        this.yieldLatencyNanos = yieldLatency.toNanos();
        this.nanoTime = nanoTime;
        this.rate = initialRate;
        this.lastRefill = nanoTime.getAsLong();
        this.tokens = Math.max(1, initialRate * BURST_SECONDS);
    }

    /**
     * Up to {@code wanted} checks that may run now, at most {@code ceiling} per second (the ceiling of the current
     * mode: normal or recovery). 0 when the bucket is empty.
     */
    public synchronized int acquire(int wanted, double ceiling) {
        if (wanted <= 0) {
            return 0;
        }
        rate = Math.min(Math.max(rate, ceiling * FLOOR_SHARE), ceiling);
        long now = nanoTime.getAsLong();
        double capacity = Math.max(1, rate * BURST_SECONDS);
        tokens = Math.min(capacity, tokens + (now - lastRefill) / 1e9 * rate);
        lastRefill = now;
        int granted = (int) Math.min(wanted, Math.floor(tokens));
        tokens -= granted;
        return granted;
    }

    /** Gives back checks that were granted but not used (nothing was due). */
    public synchronized void release(int unused) {
        if (unused > 0) {
            tokens += unused;
        }
    }

    /** Feeds back how long Redis took to answer a round of reads: slow halves the rate, fast grows it by a tenth of the ceiling. */
    public synchronized void observe(long batchNanos, double ceiling) {
        if (batchNanos > yieldLatencyNanos) {
            rate = Math.max(ceiling * FLOOR_SHARE, rate / 2);
        } else {
            rate = Math.min(ceiling, rate + ceiling / 10);
        }
    }

    /** The current rate, checks per second. */
    public synchronized double rate() {
        return rate;
    }
}
