package dev.mtp.runtime.logging;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one log line per key (a topic-partition, say) per interval, and a count of the lines held back meanwhile,
 * so the next line can say how many there were: a producer that keeps publishing wrong records must not flood the
 * log. Not thread-safe: one per thread that logs.
 */
public final class LogThrottle<K> {
    /** What {@link #admit} returns for a line to hold back. */
    public static final long HOLD_BACK = -1;

    private final long intervalMs;
    private final Map<K, Window> windows = new HashMap<>();

    private static final class Window {
        long loggedAt;
        long heldBack;
    }

    public LogThrottle(long intervalMs) {
        if (intervalMs < 0) {
            throw new IllegalArgumentException("intervalMs: must be 0 or more, was " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    /**
     * {@link #HOLD_BACK} when a line for {@code key} was logged less than the interval before {@code nowMs}; else the
     * number of lines held back since the last one (0 for the first), and the interval starts again.
     */
    public long admit(K key, long nowMs) {
        Window w = windows.get(key);
        if (w == null) {
            w = new Window();
            w.loggedAt = nowMs;
            windows.put(key, w);
            return 0;
        }
        if (nowMs - w.loggedAt < intervalMs) {
            w.heldBack++;
            return HOLD_BACK;
        }
        long heldBack = w.heldBack;
        w.loggedAt = nowMs;
        w.heldBack = 0;
        return heldBack;
    }
}
