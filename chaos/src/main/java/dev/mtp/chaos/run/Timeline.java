package dev.mtp.chaos.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Once a second: events acknowledged in that second, the largest consumer group lag, and the freshness backlog. */
final class Timeline implements AutoCloseable {

    /** {@code maxLag} -1 when the broker did not answer. */
    record Point(double atS, long eventsPerSecond, long maxLag, int drift) {
    }

    private final List<Point> points = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxLag;

    Timeline(Lag lag, Recorder recorder, FreshnessProbes probes, long runStartNanos) {
        thread = Thread.ofPlatform().name("timeline").daemon().start(() -> {
            long last = recorder.acknowledged.get();
            while (running) {
                long started = System.nanoTime();
                long lagNow;
                try {
                    Map<String, Long> behind = lag.behind(lag.endOffsets());
                    lagNow = behind.values().stream().mapToLong(Long::longValue).max().orElse(0);
                    maxLag = Math.max(maxLag, lagNow);
                } catch (Exception e) {
                    lagNow = -1;
                }
                long acked = recorder.acknowledged.get();
                points.add(new Point((started - runStartNanos) / 1e9, acked - last, lagNow, probes.behind()));
                last = acked;
                Stack.sleep(Math.max(0, 1_000 - (System.nanoTime() - started) / 1_000_000));
            }
        });
    }

    List<Point> points() {
        synchronized (points) {
            return List.copyOf(points);
        }
    }

    long maxLag() {
        return maxLag;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(15_000);
    }
}
