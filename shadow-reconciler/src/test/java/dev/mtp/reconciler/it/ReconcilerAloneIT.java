package dev.mtp.reconciler.it;

import com.mongodb.client.MongoCollection;
import dev.mtp.reconciler.Pipeline;
import dev.mtp.reconciler.tracking.MongoSyncTracking;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.micrometer.core.instrument.Counter;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Done means: with cache-writer stopped while events keep coming, Redis converges to the desired state through the
 * reconciler alone. Bound: check delay (2 s here) + a punctuation (0.1 s) + one check round, after the last event.
 */
@RealServers
class ReconcilerAloneIT {

    @TempDir
    Path stateDir;

    @Test
    void withCacheWriterStoppedRedisConvergesThroughTheReconcilerAlone(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns, stateDir); RunningApp app = pipeline.startReconciler()) {
            Traffic traffic = new Traffic(pipeline, 42, "");
            int events = 1_500 * Convergence.scale();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            for (int i = 0; i < events; i++) {
                traffic.next();
                if (i % 50 == 0) {
                    // Keep events coming over several seconds: checks run while the topology folds new ones.
                    long left = end - System.nanoTime();
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.sleep(left / Math.max(1, (events - i) / 50));
                    }
                }
            }
            long lastAck = pipeline.flush();

            Duration took = Convergence.await(pipeline, lastAck, Duration.ofSeconds(60),
                    "reconciler alone, " + pipeline.produced() + " events");

            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertThat(app.meterRegistry().find("mtp.reconciler.repairs").tag("outcome", "applied").counters()
                    .stream().mapToDouble(Counter::count).sum()).isPositive();
            MongoCollection<Document> kvshadow = ns.mongoDatabase().getCollection(MongoSyncTracking.COLLECTION);
            await().atMost(Duration.ofSeconds(10)).until(() -> kvshadow.countDocuments(
                    new Document("lastRepair.outcome", "applied")) > 0);
            assertThat(app.meterRegistry().find("mtp.reconciler.consistency.ratio").gauges()).isNotEmpty();
        }
    }
}
