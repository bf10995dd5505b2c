package dev.mtp.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.cachestore.CacheKeys;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.ops.OpsCli;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Versions scoped to a topic incarnation (docs/decisions/0012), on the whole pipeline: the stores outlive their
 * topics, and the new topics' events must still be applied, read back and judged, never skipped as stale.
 */
@RealServers
class TopicIncarnationIT {

    private static final Duration CONVERGED = Duration.ofSeconds(60);
    /** shadow check's exit code when it found drift. */
    private static final int DRIFT = 3;

    @TempDir
    Path reconcilerState;

    private final Map<String, String> cliProperties = new HashMap<>();

    @AfterEach
    void clearCliProperties() {
        cliProperties.keySet().forEach(System::clearProperty);
    }

    @Test
    void recreatedTopicsSupersedeWhatTheStoresKeptFromTheOldOnes(TestNamespace ns) throws Exception {
        PersistenceTopics topics = PersistenceTopics.withPrefix(ns.topicPrefix());
        CacheKeys keys = new CacheKeys(ns.redisKeyPrefix());
        RedisCommands<String, String> redis = ns.redis().sync();
        byte[] oldValue;
        long oldTtlMs;
        try (Stack old = Stack.start(ns, ns.kafkaBootstrapServers(), reconcilerState)) {
            createSession(old, "s-1");
            for (int i = 1; i <= 5; i++) { // the old topic's offsets run ahead of the new one's
                old.call("PATCH", "/api/v1/sessions/s-1", "{\"status\":\"old-" + i + "\"}", 202);
            }
            createSession(old, "s-untouched");
            awaitStatus(ns, old, "s-1", "old-5");
            oldValue = redis.dump(keys.session("s-1"));
            oldTtlMs = redis.pttl(keys.session("s-1"));
        }
        try (var admin = ns.admin()) {
            admin.deleteTopics(topics.eventTopics().stream().map(t -> t.name()).toList()).all().get();
            await().atMost(CONVERGED).until(() -> admin.listTopics().names().get().stream()
                    .noneMatch(name -> name.equals(topics.sessions().name())));
        }

        try (Stack recreated = Stack.start(ns, ns.kafkaBootstrapServers(), reconcilerState)) {
            recreated.call("PATCH", "/api/v1/sessions/s-1", "{\"status\":\"paused\"}", 202);

            awaitStatus(ns, recreated, "s-1", "paused");
            assertThat(recreated.session("s-untouched").at("/session/status").asText())
                    .as("state no new event touched stays as it was").isEqualTo("active");
            awaitShadowCheck(ns, 0, "(?m)^consistent: Redis holds the desired state");

            // A copy of the old topic's value written back (a straggler, a restore) is drift, never "ahead"; the
            // reconciler is stopped so that only the check sees it, and its repair puts the current state back.
            recreated.reconciler.close();
            redis.del(keys.session("s-1"));
            redis.restore(keys.session("s-1"), oldTtlMs, oldValue);
            assertThat(recreated.session("s-1").at("/session/status").asText()).isEqualTo("old-5");
            awaitShadowCheck(ns, DRIFT, "(?m)^  other_incarnation +[1-9]"); // every kind has a row: this one counts
            awaitShadowCheck(ns, 0, "all repaired", "--repair");
            assertThat(recreated.session("s-1").at("/session/status").asText()).isEqualTo("paused");
        }
    }

    @Test
    void anotherClusterTakesTheStoresOverAndTwoClustersAtOnceStopTheDisplacedApps(TestNamespace ns) throws Exception {
        try (Stack first = Stack.start(ns, ns.kafkaBootstrapServers(), reconcilerState)) {
            createSession(first, "s-2");
            for (int i = 1; i <= 3; i++) {
                first.call("PATCH", "/api/v1/sessions/s-2", "{\"status\":\"first-" + i + "\"}", 202);
            }
            awaitStatus(ns, first, "s-2", "first-3");
        }
        try (EmbeddedKafkaBroker other = EmbeddedKafkaBroker.builder().start();
             Stack moved = Stack.start(ns, other.bootstrapServers(), reconcilerState.resolve("moved"))) {
            moved.call("PATCH", "/api/v1/sessions/s-2", "{\"status\":\"moved\"}", 202);
            // The new cluster's cache-writer has no full record of s-2 (its state topic is on the old cluster): it
            // removes the old cluster's copy, and the read falls back to MongoDB, which merged the update.
            awaitStatus(ns, moved, "s-2", "moved", "mongodb");

            // The first cluster's cache-writer starts again beside the moved stack: it takes Redis over at start,
            // and the moved stack's Redis writers see it at their next check and stop, saying why.
            try (RunningApp straggler = Stack.startCacheWriter(ns, ns.kafkaBootstrapServers())) {
                await().atMost(CONVERGED).until(moved.cacheWriter::isStopped);
                assertThat(moved.cacheWriter.stopReason()).contains("two Kafka clusters or topic incarnations")
                        .contains("not supported");
                assertThat(straggler.isStopped()).isFalse();
            }
        }
    }

    private static void createSession(Stack stack, String sessionId) throws Exception {
        stack.call("POST", "/api/v1/sessions", """
                {"sessionId":"%s","userId":"user-1","status":"active","context":{"topic":"x"},
                 "cacheStrategy":"WITH_CONTEXT"}""".formatted(sessionId), 202);
    }

    /** Until MongoDB's document and the ingest's read (answered by Redis) both show the status. */
    private static void awaitStatus(TestNamespace ns, Stack stack, String sessionId, String status) {
        awaitStatus(ns, stack, sessionId, status, "redis");
    }

    /** Until MongoDB's document and the ingest's read, answered by {@code tier}, both show the status. */
    private static void awaitStatus(TestNamespace ns, Stack stack, String sessionId, String status, String tier) {
        await().atMost(CONVERGED).untilAsserted(() -> {
            Document stored = ns.mongoDatabase().getCollection("sessions").find(new Document("_id", sessionId)).first();
            assertThat(stored).isNotNull();
            assertThat(stored.getString("status")).isEqualTo(status);
            JsonNode read = stack.session(sessionId);
            assertThat(read.at("/tier").asText()).isEqualTo(tier);
            assertThat(read.at("/session/status").asText()).isEqualTo(status);
        });
    }

    /** Waits until {@code ops-cli shadow check} exits with {@code exitCode} and prints a match of {@code expected}. */
    private void awaitShadowCheck(TestNamespace ns, int exitCode, String expected, String... options) {
        cliProperties.put("kafka.bootstrap.servers", ns.kafkaBootstrapServers());
        cliProperties.put("redis.url", ns.redisUrl());
        cliProperties.put("app.topics.prefix", ns.topicPrefix());
        cliProperties.put("app.cache.key-prefix", ns.redisKeyPrefix());
        cliProperties.forEach(System::setProperty);
        await().atMost(CONVERGED).untilAsserted(() -> {
            PrintStream stdout = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code;
            try {
                String[] args = new String[options.length + 2];
                args[0] = "shadow";
                args[1] = "check";
                System.arraycopy(options, 0, args, 2, options.length);
                code = new CommandLine(new OpsCli()).execute(args);
            } finally {
                System.setOut(stdout);
            }
            String out = captured.toString(StandardCharsets.UTF_8);
            assertThat(code).as(out).isEqualTo(exitCode);
            assertThat(out).containsPattern(expected);
        });
    }
}
