package dev.mtp.reconciler.it;

import dev.mtp.reconciler.Pipeline;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means: with cache-writer running normally, the reconciler repairs nothing that was right, and its cost stays
 * small. Both apps run as their own processes on the same broker and Redis, with the default check delay (5 s)
 * above cache-writer's lag; chat traffic flows for a while. Every key the traffic touched is checked once, shortly
 * after its last change, and found consistent. The cost is measured as the processes' CPU time and the Redis round
 * trips of each.
 */
@RealServers
class WithCacheWriterIT {

    @TempDir
    Path stateDir;

    @Test
    void withCacheWriterRunningTheReconcilerRepairsNothingThatWasRight(TestNamespace ns) throws Exception {
        Path logs = Path.of("target", "with-cache-writer");
        try (Pipeline pipeline = new Pipeline(ns, stateDir).set("APP_RECONCILER_CHECK_DELAY_MS", "5000");
             ChildApp cacheWriter = ChildApp.start("dev.mtp.cachewriter.CacheWriterApp",
                     pipeline.cacheWriterEnvironment(), ChildApp.freePort(), logs.resolve("cache-writer.log"));
             ChildApp reconciler = ChildApp.reconciler(pipeline.environment(), ChildApp.freePort(),
                     logs.resolve("reconciler.log"))) {
            long cwCpu0 = cacheWriter.cpuMillis();
            long rcCpu0 = reconciler.cpuMillis();
            Traffic traffic = new Traffic(pipeline, 7, "");
            int perSecond = 150 * Convergence.scale();
            int seconds = 20;
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
            long lastAck = pipeline.flush();
            Convergence.await(pipeline, lastAck, Duration.ofSeconds(60), "cache-writer and reconciler, "
                    + pipeline.produced() + " events");
            // Every targeted check is due 5 s after its key's last change: wait them out.
            TimeUnit.SECONDS.sleep(8);

            double checks = reconciler.metric("mtp_reconciler_checks_total");
            double drift = reconciler.metric("mtp_reconciler_drift_total");
            double repairs = reconciler.metric("mtp_reconciler_repairs_total");
            double cwWrites = cacheWriter.metric("mtp_cache_keys_total");
            double rcRedisSeconds = reconciler.metric("mtp_reconciler_check_batch_seconds_sum");
            double cwRedisSeconds = cacheWriter.metric("mtp_cache_redis_seconds_sum");
            long cwCpu = cacheWriter.cpuMillis() - cwCpu0;
            long rcCpu = reconciler.cpuMillis() - rcCpu0;
            System.out.printf("MEASURED with cache-writer running: %d events; reconciler %.0f checks, %.0f drift, "
                            + "%.0f repairs; Redis round trips: reconciler %.0f key reads vs cache-writer %.0f key "
                            + "writes (%.2fx), Redis time %.2f s vs %.2f s; process CPU: reconciler %d ms vs "
                            + "cache-writer %d ms (%.2fx)%n", pipeline.produced(), checks, drift, repairs, checks,
                    cwWrites, checks / cwWrites, rcRedisSeconds, cwRedisSeconds, rcCpu, cwCpu, (double) rcCpu / cwCpu);

            try (var docs = ns.mongoDatabase().getCollection("kvshadow")
                    .find(new org.bson.Document("repairs.total", new org.bson.Document("$gt", 0))).iterator()) {
                docs.forEachRemaining(d -> System.out.println("REPAIRED " + d.toJson()));
            }
            assertThat(checks).as("every touched key was checked").isPositive();
            assertThat(drift).as("nothing cache-writer wrote was found wrong").isZero();
            assertThat(repairs).as("the reconciler repaired nothing").isZero();
        }
    }
}
