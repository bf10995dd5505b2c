package dev.mtp.cachewriter;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.embedded.ChildJvm;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Crashes and outages mid-stream: after them the cache converges to exactly the projection of every event. */
@RealServers
class CacheWriterFaultsIT {

    private static final Duration CONVERGE = Duration.ofSeconds(120);

    /** A seed-shaped stream: sessions created, interactions recorded (some twice), partial updates, a few deletes. */
    static List<List<EventEnvelope>> stream(int sessions, int rounds) {
        Instant t = Instant.now();
        List<List<EventEnvelope>> chunks = new ArrayList<>();
        List<EventEnvelope> creates = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String[] strategies = {"CRITICAL_ONLY", "WITH_CONTEXT", "FULL_SESSION"};
            creates.add(Events.created("s-" + s, strategies[s % 3], t));
        }
        chunks.add(creates);
        for (int r = 0; r < rounds; r++) {
            List<EventEnvelope> chunk = new ArrayList<>();
            Instant at = t.plusMillis(r + 1);
            for (int s = 0; s < sessions; s++) {
                String[] interactionStrategies = {"RESPONSE_ONLY", "WITH_CONTEXT", "FULL_INTERACTION", "NONE"};
                chunk.add(Events.interaction("s-" + s, "int-" + r, interactionStrategies[(s + r) % 4], at));
                if (r % 3 == 1) {
                    chunk.add(Events.interaction("s-" + s, "int-" + (r - 1), "RESPONSE_ONLY", at));
                }
                if (r % 2 == 0) {
                    chunk.add(Events.updated("s-" + s, r % 4 == 0 ? null : "WITH_CONTEXT", at,
                            new SessionUpdated(null, "round-" + r, Map.of("round", r), null)));
                }
                if (r == rounds - 1 && s % 10 == 0) {
                    chunk.add(Events.deleted("s-" + s, at));
                }
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    private static CompletableFuture<Void> produceInBackground(Pipeline pipeline, List<List<EventEnvelope>> chunks,
                                                               Duration pause) {
        return CompletableFuture.runAsync(() -> {
            for (List<EventEnvelope> chunk : chunks) {
                pipeline.produceAll(chunk);
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    @Test
    void killNineMidStreamThenRestartConverges(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            Path log = Files.createTempFile("cache-writer-child-", ".log");
            Map<String, String> settings = pipeline.settings();
            settings.put("app.consume.max-poll-records", "200");
            List<List<EventEnvelope>> chunks = stream(60, 30);

            ChildJvm first = startChild(settings, log);
            CompletableFuture<Void> producing = produceInBackground(pipeline, chunks, Duration.ofMillis(100));
            await().atMost(CONVERGE).pollInterval(Duration.ofMillis(20))
                    .until(() -> !ns.redis().sync().keys(ns.redisKeyPrefix() + "{*").isEmpty());
            first.kill();

            // Again, a little later, while more events arrive.
            ChildJvm second = startChild(settings, log);
            Thread.sleep(700);
            second.kill();

            producing.get();
            try (ChildJvm ignored = startChild(settings, log)) {
                pipeline.awaitConverged(CONVERGE);
                pipeline.awaitCommitted(CONVERGE);
            }
            assertThat(Files.readString(log)).contains("restored session state");
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aRedisRestartMidStreamLosesNothing(TestNamespace ns) throws Exception {
        // A private redis-server that keeps its data across the restart (append-only file), as production would.
        try (RedisServerProcess redis = RedisServerProcess.builder().appendOnly(true).start();
             Pipeline pipeline = new Pipeline(ns, redis.url())) {
            RunningApp app = pipeline.startApp();
            List<List<EventEnvelope>> chunks = stream(40, 25);
            CompletableFuture<Void> producing = produceInBackground(pipeline, chunks, Duration.ofMillis(80));

            Thread.sleep(800);
            redis.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> app.meterRegistry().find("mtp.consume.retries")
                    .counters().stream().mapToDouble(c -> c.count()).sum() > 0);
            Thread.sleep(1_500);
            redis.start();

            producing.get();
            pipeline.awaitConverged(CONVERGE);
            pipeline.awaitCommitted(CONVERGE);
        }
    }

    /** cache-writer's main in its own JVM, configured by system properties, once it started. */
    private static ChildJvm startChild(Map<String, String> settings, Path log) throws Exception {
        List<String> options = new ArrayList<>(List.of("-Xmx256m"));
        settings.forEach((k, v) -> options.add("-D" + k + "=" + v));
        ChildJvm child = ChildJvm.start("cache-writer", System.getProperty("java.class.path"), options, Map.of(),
                CacheWriterApp.class.getName(), List.of(), log);
        child.awaitLine("cache-writer started in", Duration.ofSeconds(90));
        return child;
    }
}
