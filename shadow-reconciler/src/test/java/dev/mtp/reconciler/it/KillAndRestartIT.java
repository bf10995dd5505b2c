package dev.mtp.reconciler.it;

import dev.mtp.reconciler.Pipeline;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means: a reconciler instance killed (SIGKILL, child JVM) and restarted resumes from its changelog and local
 * state without a full rebuild: it does not re-read the input topics from the start (it folds only what came after
 * its last commit), it restores only part of its changelog (RocksDB kept the rest), and the state it kept is the
 * full state later events build on. Kafka Streams 4.4 keeps the changelog offsets inside RocksDB with the data
 * (KIP-1035), both written to disk when a write buffer is flushed: a SIGKILL loses what the buffers held, and the
 * restart restores exactly that from the changelog.
 */
@RealServers
class KillAndRestartIT {

    @TempDir
    Path stateDir;

    @Test
    void aKilledReconcilerResumesFromItsChangelogWithoutRebuilding(TestNamespace ns) throws Exception {
        int sessions = 3_000 * Convergence.scale();
        int opsPort = ChildApp.freePort();
        Path logs = Path.of("target", "kill-and-restart");
        try (Pipeline pipeline = new Pipeline(ns, stateDir)
                .set("APP_RECONCILER_INSTANCE_ID", "reconciler-0")
                .set("APP_RECONCILER_COMMIT_INTERVAL_MS", "2000")
                .set("APP_RECONCILER_CHECK_DELAY_MS", "1000")
                .set("APP_RECONCILER_SWEEP_PERIOD_MS", "20000")
                // Small write buffers, so that test-sized state reaches disk as production-sized state does with
                // the default 16 MiB: what a SIGKILL loses is what the buffers held.
                .set("APP_RECONCILER_ROCKSDB_MEMTABLE_BYTES", String.valueOf(256 * 1024))) {
            int firstEvents;
            try (ChildApp first = ChildApp.reconciler(pipeline.environment(), opsPort, logs.resolve("first.log"))) {
                Instant now = Instant.now();
                for (int i = 0; i < sessions; i++) {
                    pipeline.produce(Events.created("s-" + i, "WITH_CONTEXT", now));
                    pipeline.produce(Events.interaction("s-" + i, "int-" + i, "RESPONSE_ONLY", now));
                }
                long lastAck = pipeline.flush();
                firstEvents = pipeline.produced();
                Convergence.await(pipeline, lastAck, Duration.ofSeconds(180), "first instance, " + firstEvents + " events");
                // Let a commit (and the checkpoint it writes) happen, as it would in a long-running instance.
                TimeUnit.SECONDS.sleep(5);
                assertThat(first.metric("mtp_reconciler_events_total")).isEqualTo(firstEvents);
                first.kill();
            }
            long changelog = changelogRecords(ns, pipeline);

            // While it is down: the sessions it knows move on, and a key disappears.
            Instant later = Instant.now();
            for (int i = 0; i < 100; i++) {
                pipeline.produce(Events.updated("s-" + i, null, later, "waiting"));
            }
            ns.redis().sync().del(pipeline.keys().session("s-" + (sessions - 1)));
            long lastAck = pipeline.flush();

            long restartAt = System.nanoTime();
            try (ChildApp second = ChildApp.reconciler(pipeline.environment(), opsPort, logs.resolve("second.log"))) {
                Duration ready = Duration.ofNanos(System.nanoTime() - restartAt);
                Convergence.await(pipeline, lastAck, Duration.ofSeconds(120), "after kill -9 and restart");
                double folded = second.metric("mtp_reconciler_events_total");
                double restored = second.metric("mtp_reconciler_restored_records_total");
                System.out.printf("MEASURED restart after kill -9: ready in %d ms; folded %.0f events (of %d in the "
                                + "topics); restored %.0f changelog records (of %d in the changelog)%n",
                        ready.toMillis(), folded, pipeline.produced(), restored, changelog);
                assertThat(folded).as("resumed from the committed offsets, not from the start of the topics")
                        .isLessThan(firstEvents / 2.0);
                // What is restored is what RocksDB's write buffers held at the kill, which depends on when they
                // filled; a rebuild would restore every record.
                assertThat(restored).as("local state reused: only part of the changelog is restored")
                        .isLessThan(changelog);
            }
        }
    }

    /** Records in the shadow's changelog topic (end offsets summed). */
    private static long changelogRecords(TestNamespace ns, Pipeline pipeline) throws Exception {
        String app = ns.topicPrefix() + "shadow-reconciler";
        List<String> topics = List.of(ShadowStore.changelog(app));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<String, TopicDescription> described = ns.admin().describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        described.forEach((name, d) -> d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()),
                OffsetSpec.latest())));
        return ns.admin().listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(r -> r.offset()).sum();
    }

}
