package dev.mtp.reconciler.it;

import dev.mtp.runtime.RunningApp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/** The reconciler's own numbers, printed next to a measurement. */
final class Stats {
    private Stats() {}

    static double sum(MeterRegistry r, String name, String... tags) {
        return r.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    static String line(RunningApp app) {
        MeterRegistry r = app.meterRegistry();
        Timer batch = r.find("mtp.reconciler.check.batch").timer();
        Gauge rate = r.find("mtp.reconciler.check.rate").gauge();
        return String.format("checks=%.0f (targeted %.0f, sweep %.0f, recovery %.0f) drift=%.0f repairs applied=%.0f "
                        + "superseded=%.0f events=%.0f rounds=%d round mean=%.1f ms max=%.1f ms rate=%.0f/s",
                sum(r, "mtp.reconciler.checks"), sum(r, "mtp.reconciler.checks", "source", "targeted"),
                sum(r, "mtp.reconciler.checks", "source", "sweep"), sum(r, "mtp.reconciler.checks", "source", "recovery"),
                sum(r, "mtp.reconciler.drift"), sum(r, "mtp.reconciler.repairs", "outcome", "applied"),
                sum(r, "mtp.reconciler.repairs", "outcome", "superseded"), sum(r, "mtp.reconciler.events"),
                batch == null ? 0 : batch.count(), batch == null ? 0 : batch.mean(TimeUnit.MILLISECONDS),
                batch == null ? 0 : batch.max(TimeUnit.MILLISECONDS), rate == null ? 0 : rate.value());
    }

    /** CPU time used so far by this JVM's threads whose name contains {@code part}, in ms. */
    static long cpuMillis(String part) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(part)) {
                long ns = mx.getThreadCpuTime(t.threadId());
                total += Math.max(0, ns);
            }
        }
        return total / 1_000_000;
    }

    static void print(RunningApp app, String when) {
        System.out.println("STATS " + when + ": " + line(app) + " streamThreadCpu=" + cpuMillis("StreamThread")
                + " ms, lettuceCpu=" + cpuMillis("lettuce") + " ms");
    }
}
