package dev.mtp.reconciler.tracking;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Checked and consistent keys over a sliding window, in 30 buckets: the consistency ratio of one strategy
 * (consistent / checked), as cache-consistency measurement does it at large operators: the share of keys that,
 * observed some time after their last change, hold what the source of truth says. NaN while nothing was checked in
 * the window. Thread-safe.
 */
public final class ConsistencyWindow {

    private static final int BUCKETS = 30;

    private final long bucketMillis;
    private final LongSupplier clock;
    private final long[] checked = new long[BUCKETS];
    private final long[] consistent = new long[BUCKETS];
    private final long[] bucketStart = new long[BUCKETS];

    public ConsistencyWindow(Duration window, LongSupplier clockMillis) {
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
        this.clock = clockMillis;
    }

    public synchronized void record(boolean wasConsistent) {
        long now = clock.getAsLong();
        long start = now - Math.floorMod(now, bucketMillis);
        int i = (int) Math.floorMod(now / bucketMillis, (long) BUCKETS);
        if (bucketStart[i] != start) {
            bucketStart[i] = start;
            checked[i] = 0;
            consistent[i] = 0;
        }
        checked[i]++;
        if (wasConsistent) {
            consistent[i]++;
        }
    }

    /** Consistent / checked over the window; NaN when nothing was checked. */
    public synchronized double ratio() {
        long now = clock.getAsLong();
        long oldest = now - Math.floorMod(now, bucketMillis) - (BUCKETS - 1) * bucketMillis;
        long c = 0;
        long ok = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketStart[i] >= oldest && (checked[i] > 0)) {
                c += checked[i];
                ok += consistent[i];
            }
        }
        return c == 0 ? Double.NaN : (double) ok / c;
    }
}
