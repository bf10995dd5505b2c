package dev.mtp.reconciler.it;

import dev.mtp.common.config.ConfigKey;
import dev.mtp.reconciler.Pipeline;
import dev.mtp.reconciler.ShadowReconcilerConfig;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means: with cache-writer running normally, the reconciler repairs nothing that was right, and its cost stays
 * small. Both apps run as their own processes on the same broker and Redis, with the default check delay (5 s)
 * above cache-writer's lag; chat traffic flows for a while. Every key the traffic touched is checked once, shortly
 * after its last change, and found consistent. The cost is measured as the processes' CPU time and the Redis round
 * trips of each, beside two baselines in the same run: cache-writer, and {@link BareShadowApp}, the least a
 * changelog-backed shadow costs on Kafka Streams (what the reconciler spends beyond it is its checks and repairs).
 */
@RealServers
class WithCacheWriterIT {

    @TempDir
    Path stateDir;

    /** {@code seconds} seconds of traffic at {@code perSecond} events per second. */
    private static void run(Traffic traffic, Pipeline pipeline, int perSecond, int seconds) throws Exception {
        for (int s = 0; s < seconds; s++) {
            long start = System.nanoTime();
            for (int i = 0; i < perSecond; i++) {
                traffic.next();
            }
            pipeline.flush();
            long left = TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - start);
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    /**
     * Waits until the reconciler and the baseline have folded {@code events} events and the reconciler's check count
     * stood still for two seconds; returns how long that took.
     */
    private static long awaitSettled(ChildApp reconciler, ChildApp bare, int events) throws Exception {
        long start = System.nanoTime();
        double checks = -1;
        long stillSince = start;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
            double now = reconciler.metric("mtp_reconciler_checks_total");
            if (now != checks || reconciler.metric("mtp_reconciler_events_total") < events
                    || bare.metric(BareShadowApp.EVENTS_METRIC) < events) {
                checks = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince >= TimeUnit.SECONDS.toNanos(2)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("the reconciler did not settle within 120 s");
    }

    /** The baseline reads the same topics under its own application id (consumer group, changelog) and state dir. */
    private Map<String, String> bareShadowEnvironment(Pipeline pipeline, TestNamespace ns) {
        Map<String, String> env = new java.util.HashMap<>(pipeline.environment());
        env.put("APP_RECONCILER_APPLICATION_ID", ns.topicPrefix() + "bare-shadow");
        env.put("APP_RECONCILER_STATE_DIR", stateDir.resolve("bare-shadow").toString());
        return env;
    }

    /**
     * Reconciler settings one benchmark run changes, {@code -Dmtp.it.reconciler.env=APP_RECONCILER_X=1,...}
     * ({@code scripts/bench-reconciler --set=...}): to compare a setting against its default in the same session.
     */
    private static Map<String, String> settingsOfTheRun() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : System.getProperty("mtp.it.reconciler.env", "").split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.startsWith("APP_RECONCILER_")) {
                throw new IllegalArgumentException("mtp.it.reconciler.env: expected APP_RECONCILER_NAME=VALUE pairs "
                        + "separated by commas, got: " + pair);
            }
            settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return settings;
    }

    /**
     * Waits until kvshadow tracking has written every record of the window: a record that only says "consistent"
     * waits up to {@code app.reconciler.tracking-hold-ms} after its key's first check, then the next flush writes it.
     * Pending never drops to zero while the slow sweep keeps checking, so the wait is the hold, not a gauge.
     */
    private static void awaitTrackingWritten(Map<String, String> env) throws InterruptedException {
        Duration hold = setting(env, ShadowReconcilerConfig.TRACKING_HOLD_MS);
        Duration flush = setting(env, ShadowReconcilerConfig.TRACKING_FLUSH_MS);
        TimeUnit.MILLISECONDS.sleep(hold.plus(flush).plusSeconds(1).toMillis());
    }

    private static Duration setting(Map<String, String> env, ConfigKey<Duration> key) {
        String value = env.get(key.envName());
        return value == null ? key.defaultValue().orElseThrow() : Duration.ofMillis(Long.parseLong(value));
    }

    @Test
    void withCacheWriterRunningTheReconcilerRepairsNothingThatWasRight(TestNamespace ns) throws Exception {
        Path logs = Path.of("target", "with-cache-writer");
        Map<String, String> settings = settingsOfTheRun();
        try (Pipeline pipeline = new Pipeline(ns, stateDir.resolve("reconciler")).set("APP_RECONCILER_CHECK_DELAY_MS", "5000")
                .setAll(settings);
             ChildApp cacheWriter = ChildApp.start("dev.mtp.cachewriter.CacheWriterApp",
                     pipeline.cacheWriterEnvironment(), ChildApp.freePort(), logs.resolve("cache-writer.log"));
             ChildApp reconciler = ChildApp.reconciler(pipeline.environment(), ChildApp.freePort(),
                     logs.resolve("reconciler.log"));
             ChildApp bare = ChildApp.start(BareShadowApp.class.getName(), bareShadowEnvironment(pipeline, ns),
                     ChildApp.freePort(), logs.resolve("bare-shadow.log"))) {
            if (!settings.isEmpty()) {
                System.out.println("MEASURED with reconciler settings changed for this run: " + settings);
            }
            Traffic traffic = new Traffic(pipeline, 7, "");
            int perSecond = 150 * Convergence.scale();
            // Warm-up: both JVMs compile their hot paths (JIT) before anything is measured.
            run(traffic, pipeline, perSecond, 10);
            long cwCpu0 = cacheWriter.cpuMillis();
            long rcCpu0 = reconciler.cpuMillis();
            long cwApp0 = cacheWriter.appCpuMillis();
            Map<String, Long> rcThreads0 = reconciler.cpuMillisByThread();
            long rcApp0 = reconciler.appCpuMillis();
            long bareApp0 = bare.appCpuMillis();
            long rcGc0 = reconciler.gcCpuMillis();
            long cwGc0 = cacheWriter.gcCpuMillis();
            long bareGc0 = bare.gcCpuMillis();
            double checks0 = reconciler.metric("mtp_reconciler_checks_total");
            // Cold JVMs on a busy machine: cache-writer may lag more than the check delay during the warm-up, and
            // then the reconciler writes what it has not written yet. That is its job; it is reported, not asserted.
            double warmUpRepairs = reconciler.metric("mtp_reconciler_repairs_total");
            double drift0 = reconciler.metric("mtp_reconciler_drift_total");
            double cwWrites0 = cacheWriter.metric("mtp_cache_keys_total");
            double rcRedis0 = reconciler.metric("mtp_reconciler_check_batch_seconds_sum");
            double cwRedis0 = cacheWriter.metric("mtp_cache_redis_seconds_sum");
            double tracked0 = reconciler.metric("mtp_reconciler_tracking_written_total");
            int before = pipeline.produced();
            long window0 = System.nanoTime();
            run(traffic, pipeline, perSecond, 30);
            long lastAck = pipeline.flush();
            // At a high rate this test's own producer may fall behind: the rate is what it reached, not what it asked.
            double trafficSeconds = (lastAck - window0) / 1e9;
            Duration caughtUp = Convergence.await(pipeline, lastAck, Duration.ofSeconds(60),
                    "cache-writer and reconciler, " + pipeline.produced() + " events");
            // Every targeted check is due 5 s after its key's last change: wait them out, and at a high rate until the
            // reconciler has folded every event and run its last checks, so that the idle figure below is idle.
            TimeUnit.SECONDS.sleep(8);
            long settled = awaitSettled(reconciler, bare, pipeline.produced());
            awaitTrackingWritten(pipeline.environment());

            double checks = reconciler.metric("mtp_reconciler_checks_total") - checks0;
            double drift = reconciler.metric("mtp_reconciler_drift_total") - drift0;
            double repairs = reconciler.metric("mtp_reconciler_repairs_total") - warmUpRepairs;
            double cwWrites = cacheWriter.metric("mtp_cache_keys_total") - cwWrites0;
            double rcRedisSeconds = reconciler.metric("mtp_reconciler_check_batch_seconds_sum") - rcRedis0;
            double cwRedisSeconds = cacheWriter.metric("mtp_cache_redis_seconds_sum") - cwRedis0;
            double tracked = reconciler.metric("mtp_reconciler_tracking_written_total") - tracked0;
            long cwCpu = cacheWriter.cpuMillis() - cwCpu0;
            long rcCpu = reconciler.cpuMillis() - rcCpu0;
            long cwApp = cacheWriter.appCpuMillis() - cwApp0;
            long rcApp = reconciler.appCpuMillis() - rcApp0;
            long bareApp = bare.appCpuMillis() - bareApp0;
            long rcGc = reconciler.gcCpuMillis() - rcGc0;
            long cwGc = cacheWriter.gcCpuMillis() - cwGc0;
            long bareGc = bare.gcCpuMillis() - bareGc0;
            double windowSeconds = (System.nanoTime() - window0) / 1e9;
            Map<String, Long> rcThreads = reconciler.cpuMillisByThread();
            rcThreads.replaceAll((name, ms) -> ms - rcThreads0.getOrDefault(name, 0L));
            System.out.println("MEASURED reconciler CPU by thread (ms): " + rcThreads.entrySet().stream()
                    .filter(e -> e.getValue() >= 50).sorted(Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            System.out.printf("MEASURED with cache-writer running, after a 10 s warm-up: %d events in 30 s; "
                            + "reconciler %.0f checks, %.0f drift and %.0f repairs (%.0f during the warm-up); Redis: reconciler "
                            + "%.0f key reads vs cache-writer %.0f key writes (%.2fx), time in Redis rounds %.2f s vs "
                            + "%.2f s; app CPU: reconciler %d ms vs cache-writer %d ms (%.2fx); whole process "
                            + "CPU: %d ms vs %d ms (%.2fx)%n", pipeline.produced() - before, checks, drift, repairs, warmUpRepairs,
                    checks, cwWrites, checks / cwWrites, rcRedisSeconds, cwRedisSeconds, rcApp, cwApp,
                    (double) rcApp / cwApp, rcCpu, cwCpu, (double) rcCpu / cwCpu);

            int events = pipeline.produced() - before;
            System.out.printf("MEASURED traffic: %d events asked at %d/s, sent in %.1f s (%.0f/s); Redis equal to the "
                            + "oracle %d ms after the last one; reconciler settled %d ms after the 8 s wait; CPU "
                            + "measured over %.1f s%n",
                    events, perSecond, trafficSeconds, events / trafficSeconds, caughtUp.toMillis(), settled,
                    windowSeconds);
            System.out.printf("MEASURED per event: reconciler %.2f key reads, %.2f kvshadow documents written, %.0f µs "
                            + "app CPU (%.0f µs whole process); cache-writer %.2f key writes, %.0f "
                            + "µs app CPU (%.0f µs whole process); bare shadow %.0f µs app CPU: reconciler %.2fx "
                            + "cache-writer, %.2fx the bare shadow%n",
                    checks / events, tracked / events, rcApp * 1_000.0 / events,
                    rcCpu * 1_000.0 / events,
                    cwWrites / events, cwApp * 1_000.0 / events, cwCpu * 1_000.0 / events, bareApp * 1_000.0 / events,
                    (double) rcApp / cwApp, (double) rcApp / bareApp);
            // The reconciler does what both baselines do (store a changelog-backed shadow; fold and project every
            // event, then touch Redis for its keys) and then its own part: scheduling, judging, tracking.
            System.out.printf("MEASURED reconciler against the bare shadow and cache-writer together: %.2fx (%.0f µs "
                            + "vs %.0f µs); of app CPU, garbage collection: reconciler %.0f µs, cache-writer %.0f µs, "
                            + "bare shadow %.0f µs per event%n",
                    (double) rcApp / (bareApp + cwApp), rcApp * 1_000.0 / events, (bareApp + cwApp) * 1_000.0 / events,
                    rcGc * 1_000.0 / events, cwGc * 1_000.0 / events, bareGc * 1_000.0 / events);

            // Idle: no traffic, every targeted check done; what a write-behind service burns doing nothing.
            long idleSeconds = 10;
            long cwIdle0 = cacheWriter.appCpuMillis();
            long rcIdle0 = reconciler.appCpuMillis();
            long bareIdle0 = bare.appCpuMillis();
            Map<String, Long> rcIdleThreads0 = reconciler.cpuMillisByThread();
            TimeUnit.SECONDS.sleep(idleSeconds);
            long cwIdle = cacheWriter.appCpuMillis() - cwIdle0;
            long rcIdle = reconciler.appCpuMillis() - rcIdle0;
            long bareIdle = bare.appCpuMillis() - bareIdle0;
            Map<String, Long> rcIdleThreads = reconciler.cpuMillisByThread();
            rcIdleThreads.replaceAll((name, ms) -> ms - rcIdleThreads0.getOrDefault(name, 0L));
            System.out.printf("MEASURED idle (no traffic, %d s): app CPU: reconciler %.1f ms/s (%s), "
                            + "cache-writer %.1f ms/s, bare shadow %.1f ms/s%n", idleSeconds, rcIdle / (double) idleSeconds,
                    rcIdleThreads.entrySet().stream().filter(e -> e.getValue() >= 20)
                            .sorted(Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                            .map(e -> e.getKey() + "=" + e.getValue()).toList(),
                    cwIdle / (double) idleSeconds, bareIdle / (double) idleSeconds);
            CpuPerEvent rcCost = new CpuPerEvent(rcApp, rcIdle / (double) idleSeconds, windowSeconds, events);
            CpuPerEvent cwCost = new CpuPerEvent(cwApp, cwIdle / (double) idleSeconds, windowSeconds, events);
            CpuPerEvent bareCost = new CpuPerEvent(bareApp, bareIdle / (double) idleSeconds, windowSeconds, events);
            System.out.printf("MEASURED marginal per event (app CPU less idle CPU/s x %.1f s): reconciler %.0f "
                            + "µs vs cache-writer %.0f µs (%.2fx) vs bare shadow %.0f µs (%.2fx); the idle CPU of the "
                            + "window per event: reconciler %.0f µs, cache-writer %.0f µs, bare shadow %.0f µs%n",
                    windowSeconds, rcCost.marginalMicros(), cwCost.marginalMicros(),
                    rcCost.marginalMicros() / cwCost.marginalMicros(), bareCost.marginalMicros(),
                    rcCost.marginalMicros() / bareCost.marginalMicros(), rcCost.fixedMicros(), cwCost.fixedMicros(),
                    bareCost.fixedMicros());

            try (var docs = ns.mongoDatabase().getCollection("kvshadow")
                    .find(new org.bson.Document("repairs.total", new org.bson.Document("$gt", 0))).iterator()) {
                docs.forEachRemaining(d -> System.out.println("REPAIRED (kvshadow) " + d.toJson()));
            }
            assertThat(checks).as("every touched key was checked").isPositive();
            assertThat(drift).as("after the warm-up, nothing cache-writer wrote was found wrong").isZero();
            assertThat(repairs).as("after the warm-up, the reconciler repaired nothing").isZero();
        }
    }
}
