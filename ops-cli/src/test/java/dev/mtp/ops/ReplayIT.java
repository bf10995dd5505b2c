package dev.mtp.ops;

import com.mongodb.client.MongoDatabase;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.json.EventCodec;
import dev.mtp.documents.Fields;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replay} against the real broker, Redis and MongoDB server, the writers running beside it as in production:
 * MongoDB restored from a backup older than the latest events, and Redis lost while the reconciler is down, each
 * brought back by a replay through the sink's own guarded writes; a second replay changes nothing.
 */
@RealServers
class ReplayIT {

    @Test
    void mongoDbRestoredFromAnOlderBackupGetsExactlyTheCurrentDocumentsBack(TestNamespace ns, @TempDir Path dir)
            throws Exception {
        try (Cli cli = new Cli(ns, Writers.stores(ns))) {
            cli.createTopics();
            MongoDatabase db = ns.mongoDatabase();
            try (RunningApp writer = Writers.mongoWriter(ns, Map.of())) {
                publish(cli, history(0, 12));
                awaitCaughtUp(ns, ns.group("mongo-writer"), cli);
                Map<String, List<Document>> backup = documents(db);
                Thread.sleep(50);
                Instant backupTime = Instant.now();
                Thread.sleep(50);
                publish(cli, laterEvents(12));
                awaitCaughtUp(ns, ns.group("mongo-writer"), cli);
                Map<String, List<Document>> current = documents(db);
                assertThat(current).isNotEqualTo(backup);

                restore(db, backup);
                String[] replay = {"replay", "--sink", "mongo-writer", "--from", backupTime.toString(), "--rate", "0",
                        "--checkpoint", dir.resolve("replay.json").toString()};
                Cli.Run dry = cli.run(append(replay, "--dry-run"));
                assertThat(dry.exitCode()).as(dry.err()).isZero();
                assertThat(dry.out()).containsPattern("applied\\s+18\\b").containsPattern("duplicate\\s+0\\b")
                        .containsPattern("stale\\s+0\\b").contains("dry run: nothing was written");
                assertThat(documents(db)).isEqualTo(backup);

                Cli.Run first = cli.run(append(replay, "--limit", "7"));
                assertThat(first.exitCode()).as(first.err()).isEqualTo(4);
                Cli.Run rest = cli.run(replay);
                assertThat(rest.exitCode()).as(rest.err()).isZero();
                assertThat(rest.out()).containsPattern("applied\\s+18\\b").containsPattern("duplicate\\s+0\\b")
                        .contains("live " + ns.group("mongo-writer") + " lag: 0 before");
                assertThat(withoutBookkeeping(documents(db))).isEqualTo(withoutBookkeeping(current));

                Cli.Run again = cli.run(append(replay, "--restart"));
                assertThat(again.exitCode()).as(again.err()).isZero();
                // the first turn of each new session is stale for its session's summary, which holds the second
                assertThat(again.out()).containsPattern("applied\\s+0\\b").containsPattern("duplicate\\s+16\\b")
                        .containsPattern("stale\\s+2\\b");
                Cli.Run wider = cli.run(append(replay, "--restart", "--session", "s-3", "--session", "s-4"));
                assertThat(wider.exitCode()).as(wider.err()).isZero();
                assertThat(wider.out()).containsPattern("duplicate\\s+[1-9]").containsPattern("applied\\s+0\\b")
                        .containsPattern("other sessions\\s+\\d+");
                assertThat(withoutBookkeeping(documents(db))).isEqualTo(withoutBookkeeping(current));
            }
        }
    }

    @Test
    void redisLostWhileTheReconcilerIsDownComesBackFromAReplayOfTheLongestTtl(TestNamespace ns, @TempDir Path dir)
            throws Exception {
        try (Cli cli = new Cli(ns, Writers.stores(ns))) {
            cli.createTopics();
            RedisCommands<String, String> redis = ns.redis().sync();
            try (RunningApp writer = Writers.cacheWriter(ns)) {
                publish(cli, history(0, 10));
                publish(cli, laterEvents(10));
                awaitCaughtUp(ns, "" + ns.topicPrefix() + "cache-writer", cli);
                Map<String, String> cached = keys(redis, ns);
                assertThat(cached).hasSizeGreaterThan(20);

                ns.redis().sync().del(cached.keySet().toArray(String[]::new));
                assertThat(keys(redis, ns)).isEmpty();
                String[] replay = {"replay", "--sink", "cache-writer", "--from", "60m", "--rate", "0",
                        "--checkpoint", dir.resolve("replay.json").toString()};
                Cli.Run dry = cli.run(append(replay, "--dry-run"));
                assertThat(dry.exitCode()).as(dry.err()).isZero();
                assertThat(dry.out()).containsPattern("applied\\s+[1-9]").containsPattern("stale\\s+0\\b");
                assertThat(keys(redis, ns)).isEmpty();

                Cli.Run run = cli.run(replay);
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(keys(redis, ns)).isEqualTo(cached);
                for (String key : cached.keySet()) {
                    assertThat(redis.pttl(key)).as(key).isPositive();
                }
                Cli.Run again = cli.run(append(replay, "--restart"));
                assertThat(again.exitCode()).as(again.err()).isZero();
                assertThat(again.out()).containsPattern("applied\\s+0\\b").containsPattern("duplicate\\s+[1-9]");
                assertThat(keys(redis, ns)).isEqualTo(cached);
            }
        }
    }

    @Test
    void theReconcilersLostStateIsRebuiltFromItsTopics(TestNamespace ns, @TempDir Path dir) throws Exception {
        try (Cli cli = new Cli(ns, Map.of("redis.url", ns.redisUrl(), "app.cache.key-prefix", ns.redisKeyPrefix(),
                "app.reconciler.check-delay-ms", "1000"))) {
            cli.createTopics();
            String keys = "KVShadow: 40 keys";
            try (RunningApp reconciler = Writers.reconciler(ns, dir.resolve("state-1"))) {
                publish(cli, history(0, 10));
                awaitShadow(cli, keys);
            }
            String changelog = ns.topicPrefix() + "shadow-reconciler-kvshadow-changelog";
            ns.admin().deleteTopics(List.of(changelog)).all().get();
            assertThat(shadowCheck(cli)).doesNotContain(keys);

            Cli.Run refused = cli.run("replay", "--sink", "reconciler");
            assertThat(refused.exitCode()).isEqualTo(2);
            // a stopped Streams member stays in its group until its session times out: reset once it is gone
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            Cli.Run reset = cli.run("offsets", "reset", "--app", "reconciler", "--to-earliest");
            while (reset.exitCode() != 0 && reset.err().contains("stop reconciler first")
                    && System.nanoTime() < deadline) {
                Thread.sleep(2_000);
                reset = cli.run("offsets", "reset", "--app", "reconciler", "--to-earliest");
            }
            assertThat(reset.exitCode()).as(reset.err()).isZero();
            try (RunningApp reconciler = Writers.reconciler(ns, dir.resolve("state-2"))) {
                awaitShadow(cli, keys);
            }
        }
    }

    private static void awaitShadow(Cli cli, String keys) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String check;
        do {
            check = shadowCheck(cli);
            if (check.contains(keys) && check.contains("consistent")) {
                return;
            }
            Thread.sleep(1_000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the reconciler's shadow did not reach " + keys + " within 90 s: " + check);
    }

    /** What {@code shadow check} prints: its report goes to standard output as it reads the changelog. */
    private static String shadowCheck(Cli cli) {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return cli.run("shadow", "check").out() + captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void badArgumentsAreOneLineNamingTheArgument(TestNamespace ns) {
        try (Cli cli = new Cli(ns)) {
            assertBad(cli.run("replay", "--sink", "search-indexer"), "'search-indexer' is not an app");
            assertBad(cli.run("replay", "--sink", "mongo-writer", "--offsets", "0:1-5"),
                    "--offsets needs exactly one --topic");
            assertBad(cli.run("replay", "--sink", "mongo-writer", "--from", "1h", "--offsets", "0:1-5", "--topic",
                    "sessions"), "--offsets and --from/--to: give the range one way");
            assertBad(cli.run("replay", "--sink", "mongo-writer", "--from", "1h", "--to", "2h"),
                    "must be before --to");
            assertBad(cli.run("replay", "--sink", "cache-writer", "--session", "a b"), "--session 'a b': must be");
            assertBad(cli.run("replay", "--sink", "reconciler"), "offsets reset --app reconciler --to-earliest");
        }
    }

    private static void assertBad(Cli.Run run, String message) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains(message);
    }

    private static String[] append(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Sessions s-first .. s-(first+n-1), each created with two interactions and an evaluation. */
    private static List<EventEnvelope> history(int first, int n) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            String s = "s-" + i;
            events.add(event(s, s, "WITH_CONTEXT", new SessionCreated("u-" + i, "active", Map.of("plan", "pro",
                    "n", i), Map.of())));
            for (int t = 0; t < 2; t++) {
                events.add(event(s, s + "-t" + t, "RESPONSE_ONLY", new InteractionRecorded("assistant",
                        "question " + t, "answer " + t, Map.of(), Map.of(), 120L)));
            }
            events.add(event(s, s, null, new EvaluationRecorded(EntityType.SESSION, Map.of("csat", i % 5))));
        }
        return events;
    }

    /** After the backup: updates and new turns of some sessions, and two new sessions (18 events). */
    private static List<EventEnvelope> laterEvents(int first) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 2; i < 6; i++) {
            String s = "s-" + i;
            events.add(event(s, s, null, new SessionUpdated(null, "waiting", Map.of("plan", "team"), null)));
            events.add(event(s, s + "-t9", "RESPONSE_ONLY", new InteractionRecorded("assistant", "later",
                    "later answer", Map.of(), Map.of(), 80L)));
        }
        events.addAll(history(first, 2));
        events.add(event("s-1", "s-1", null, new SessionUpdated(null, "closed", null, null)));
        events.add(event("s-1", "s-1", null, new EvaluationRecorded(EntityType.SESSION, Map.of("csat", 5))));
        return events;
    }

    private static EventEnvelope event(String session, String entity, String strategy, EventPayload payload) {
        return EventEnvelope.of(UUID.randomUUID(), session, entity, strategy, Instant.now(), "test", payload);
    }

    private static void publish(Cli cli, List<EventEnvelope> events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = cli.producer()) {
            for (EventEnvelope e : events) {
                String topic = switch (e.type().topic()) {
                    case SESSIONS -> cli.topics.sessions().name();
                    case INTERACTIONS -> cli.topics.interactions().name();
                    default -> cli.topics.evaluations().name();
                };
                producer.send(new ProducerRecord<>(topic, e.sessionId().getBytes(StandardCharsets.UTF_8),
                        EventCodec.encode(e))).get();
            }
        }
    }

    private static void awaitCaughtUp(TestNamespace ns, String group, Cli cli) throws Exception {
        Admin admin = ns.admin();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(cli.topics.sessions().name(), cli.topics.interactions().name())) {
            for (int p = 0; p < 2; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> end = new HashMap<>();
            for (var e : admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp,
                    tp -> OffsetSpec.latest()))).all().get().entrySet()) {
                end.put(e.getKey(), e.getValue().offset());
            }
            if (partitions.stream().allMatch(tp -> committed.get(tp) != null
                    && committed.get(tp).offset() >= end.get(tp))) {
                Thread.sleep(300); // the evaluations topic too, which mongo-writer commits alongside
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(group + " did not catch up within 60 s");
    }

    private static Map<String, List<Document>> documents(MongoDatabase db) {
        Map<String, List<Document>> all = new TreeMap<>();
        for (String collection : List.of(Fields.SESSIONS, Fields.INTERACTIONS, Fields.EVALUATIONS)) {
            all.put(collection, db.getCollection(collection).find().sort(new Document(Fields.ID, 1))
                    .into(new ArrayList<>()));
        }
        return all;
    }

    /** The documents without the writer's clock and its count of writes: the content the events give. */
    private static Map<String, List<Document>> withoutBookkeeping(Map<String, List<Document>> all) {
        Map<String, List<Document>> content = new TreeMap<>();
        all.forEach((collection, docs) -> content.put(collection, docs.stream().map(d -> {
            Document copy = new Document(d);
            copy.remove(Fields.WRITTEN_AT);
            copy.remove(Fields.REV);
            return copy;
        }).toList()));
        return content;
    }

    private static void restore(MongoDatabase db, Map<String, List<Document>> backup) {
        backup.forEach((collection, docs) -> {
            db.getCollection(collection).deleteMany(new Document());
            if (!docs.isEmpty()) {
                db.getCollection(collection).insertMany(docs);
            }
        });
    }

    /** Every cache key of the namespace but the incarnation registry, with its value. */
    private static Map<String, String> keys(RedisCommands<String, String> redis, TestNamespace ns) {
        Map<String, String> values = new TreeMap<>();
        ScanIterator<String> scan = ScanIterator.scan(redis, ScanArgs.Builder.matches(ns.redisKeyPrefix() + "*")
                .limit(500));
        while (scan.hasNext()) {
            String key = scan.next();
            if (!key.endsWith("incarnations")) {
                values.put(key, redis.type(key).equals("hash") ? new TreeMap<>(redis.hgetall(key)).toString()
                        : redis.type(key).equals("set") ? new java.util.TreeSet<>(redis.smembers(key)).toString()
                        : String.valueOf(redis.type(key)));
            }
        }
        return values;
    }
}
