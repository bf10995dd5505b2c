package dev.mtp.cachewriter;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** cache-writer in this JVM against the real broker and a real redis-server: each behaviour cache-writer promises. */
@RealServers
class CacheWriterIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private static double counter(RunningApp app, String name, String... tags) {
        MeterRegistry r = app.meterRegistry();
        var search = r.find(name).tags(tags);
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void eachStrategyCachesItsFieldsWithItsTtlAndNoneCachesNothing(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            pipeline.startApp();
            Instant now = Instant.now();
            List<EventEnvelope> events = new ArrayList<>();
            for (SessionCacheStrategy s : SessionCacheStrategy.values()) {
                events.add(Events.created("session-" + s, s.name(), now));
            }
            List<InteractionCacheStrategy> lastIsNone = new ArrayList<>(List.of(InteractionCacheStrategy.values()));
            java.util.Collections.reverse(lastIsNone);
            for (InteractionCacheStrategy s : lastIsNone) {
                events.add(Events.interaction("session-FULL_SESSION", "int-" + s, s.name(), now));
            }
            pipeline.produceAll(events);

            pipeline.awaitConverged(CONVERGE);
            RedisCommands<String, String> redis = ns.redis().sync();
            var keys = pipeline.store().keys();
            for (SessionCacheStrategy s : SessionCacheStrategy.values()) {
                String key = keys.session("session-" + s);
                if (!s.caches()) {
                    assertThat(redis.exists(key)).as("NONE caches nothing").isZero();
                    continue;
                }
                var cached = pipeline.store().session("session-" + s).get().orElseThrow();
                if (s == SessionCacheStrategy.FULL_SESSION) {
                    assertThat(cached.fields().keySet()).as(s.name()).isEqualTo(s.fields());
                } else {
                    // No interaction yet: lastActivityAt (owned by the interactions topic) is not there yet.
                    assertThat(cached.fields().keySet()).as(s.name()).isEqualTo(
                            s.fields().stream().filter(f -> f != SessionField.LAST_ACTIVITY_AT)
                                    .collect(java.util.stream.Collectors.toSet()));
                }
                long ttl = s.ttl().orElseThrow().toMillis();
                assertThat(redis.pttl(key)).as("TTL of " + s).isBetween(ttl - 60_000, ttl);
            }
            for (InteractionCacheStrategy s : InteractionCacheStrategy.values()) {
                String key = keys.interaction("session-FULL_SESSION", "int-" + s);
                if (!s.caches()) {
                    assertThat(redis.exists(key)).isZero();
                    continue;
                }
                var cached = pipeline.store().interaction("session-FULL_SESSION", "int-" + s).get().orElseThrow();
                assertThat(cached.fields().keySet()).as(s.name()).isEqualTo(s.fields());
                long ttl = s.ttl().orElseThrow().toMillis();
                assertThat(redis.pttl(key)).as("TTL of " + s).isBetween(ttl - 60_000, ttl);
            }
            var session = pipeline.store().session("session-FULL_SESSION").get().orElseThrow();
            assertThat(session.get(SessionField.INTERACTION_COUNT)).isEqualTo(4L);
            // The last interaction was NONE: no older response may pose as the latest one.
            assertThat(pipeline.store().latestResponse("session-FULL_SESSION").get()).isEmpty();
        }
    }

    @Test
    void partialUpdatesStrategyChangesAndNoneGiveTheProjectionOfTheFullRecord(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            pipeline.startApp();
            Instant t = Instant.now();
            pipeline.produce(Events.created("s-1", "CRITICAL_ONLY", t));
            pipeline.produce(Events.interaction("s-1", "int-1", "RESPONSE_ONLY", t.plusMillis(1)));
            pipeline.awaitConverged(CONVERGE);
            assertThat(pipeline.store().session("s-1").get().orElseThrow().fields())
                    .doesNotContainKey(SessionField.CONTEXT);

            // A partial update in its own batch: the writer merges it into the state it kept.
            Map<String, Object> context = new HashMap<>();
            context.put("currentTopic", null);
            context.put("cart", Map.of("items", 2));
            pipeline.produce(Events.updated("s-1", "FULL_SESSION", t.plusMillis(2),
                    new SessionUpdated(null, "idle", context, Map.of("tier", "gold"))));
            pipeline.awaitConverged(CONVERGE);
            var full = pipeline.store().session("s-1").get().orElseThrow();
            assertThat(full.strategy()).isEqualTo(SessionCacheStrategy.FULL_SESSION);
            assertThat(full.get(SessionField.CONTEXT)).isEqualTo(Map.of("cart", Map.of("items", 2)));
            assertThat(full.get(SessionField.METADATA)).isEqualTo(Map.of("source", "web_chat", "tier", "gold"));
            assertThat(full.get(SessionField.USER_ID)).isEqualTo("user-456");
            assertThat(full.get(SessionField.INTERACTION_COUNT)).isEqualTo(1L);
            assertThat(full.get(SessionField.LAST_INTERACTION_ID)).isEqualTo("int-1");

            // Closed: keeps its strategy and TTL.
            pipeline.produce(Events.closed("s-1", t.plusMillis(3)));
            pipeline.awaitConverged(CONVERGE);
            assertThat(pipeline.store().session("s-1").get().orElseThrow().get(SessionField.STATUS)).isEqualTo("closed");

            // NONE removes the cached copy (leaving a tombstone), and a later strategy brings it back.
            pipeline.produce(Events.updated("s-1", "NONE", t.plusMillis(4), new SessionUpdated(null, null, null, null)));
            pipeline.awaitConverged(CONVERGE);
            StoredKey none = pipeline.store().inspect(pipeline.store().keys().session("s-1")).get();
            assertThat(none.isTombstone()).isTrue();
            pipeline.produce(Events.updated("s-1", "WITH_CONTEXT", t.plusMillis(5),
                    new SessionUpdated(null, "active", null, null)));
            pipeline.awaitConverged(CONVERGE);
            assertThat(pipeline.store().session("s-1").get().orElseThrow().fields().keySet())
                    .isEqualTo(SessionCacheStrategy.WITH_CONTEXT.fields());
        }
    }

    @Test
    void aDeletedSessionLosesEveryKey(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            pipeline.startApp();
            Instant t = Instant.now();
            pipeline.produce(Events.created("s-1", "FULL_SESSION", t));
            for (int i = 0; i < 5; i++) {
                pipeline.produce(Events.interaction("s-1", "int-" + i, "FULL_INTERACTION", t));
            }
            pipeline.awaitConverged(CONVERGE);
            assertThat(ns.redis().sync().keys(ns.redisKeyPrefix() + "{*")).hasSize(8);

            pipeline.produce(Events.deleted("s-1", t.plusSeconds(1)));
            pipeline.awaitConverged(CONVERGE);
            assertThat(ns.redis().sync().keys(ns.redisKeyPrefix() + "{*"))
                    .containsExactly(pipeline.store().keys().session("s-1"));
            assertThat(pipeline.store().inspect(pipeline.store().keys().session("s-1")).get().isTombstone()).isTrue();
        }
    }

    @Test
    void aStaleWriteNeverOverwritesNewerStateFromTheFastPath(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            Instant t = Instant.now();
            var older = pipeline.produce(Events.interaction("s-1", "int-1", "RESPONSE_ONLY", t));
            var newer = pipeline.produce(Events.interaction("s-1", "int-1", "FULL_INTERACTION", t.plusMillis(1)));
            // The ingest fast path wrote the newer record before cache-writer ran.
            assertThat(pipeline.store().write(CacheWrite.interaction(newer.event(), newer.version(),
                    OtherIncarnations.KEEP)).get())
                    .extracting(r -> r.outcome()).containsOnly(WriteOutcome.WRITTEN);

            RunningApp app = pipeline.startApp();
            pipeline.awaitConverged(CONVERGE);
            pipeline.awaitCommitted(CONVERGE);

            assertThat(pipeline.store().interaction("s-1", "int-1").get().orElseThrow().fields())
                    .isEqualTo(InteractionProjection.of(newer.event()).orElseThrow().fields());
            assertThat(older.offset()).isLessThan(newer.offset());
            assertThat(counter(app, "mtp.cache.keys", "outcome", "duplicate")).isPositive();
        }
    }

    /**
     * Topics recreated (or moved to another cluster) under a Redis that kept its keys: the new topic's offsets are
     * lower than the stored ones, which are of another incarnation or written before incarnations were recorded.
     * cache-writer, consuming the current topics, replaces them with the new state and its TTL.
     */
    @Test
    void keysOfAnotherIncarnationAtHigherOffsetsAreReplacedWithTheNewStateAndTtl(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            RedisCommands<String, String> redis = ns.redis().sync();
            var keys = pipeline.store().keys();
            long aDay = Duration.ofDays(1).toMillis();
            redis.psetex(keys.session("s-1"), aDay, "j3:900.OOOOOOOO,400.PPPPPPPP|{\"u\":\"old\",\"st\":\"gone\"}");
            redis.psetex(keys.interaction("s-1", "int-1"), aDay, "j1:400|{\"r\":\"old answer\"}");
            redis.psetex(keys.latestResponse("s-1"), aDay, "j1:400|{\"id\":\"int-1\",\"r\":\"old answer\"}");
            redis.psetex(keys.session("s-2"), aDay, "j1:900,-1|{\"u\":\"old\",\"st\":\"gone\"}");
            Instant t = Instant.now();
            pipeline.produceAll(List.of(
                    Events.created("s-1", "WITH_CONTEXT", t),
                    Events.interaction("s-1", "int-1", "RESPONSE_ONLY", t),
                    Events.created("s-2", "CRITICAL_ONLY", t),
                    Events.updated("s-2", null, t.plusMillis(1), new SessionUpdated(null, "paused", null, null))));

            RunningApp app = pipeline.startApp();
            pipeline.awaitConverged(CONVERGE);

            assertThat(pipeline.store().session("s-2").get().orElseThrow().get(SessionField.STATUS))
                    .isEqualTo("paused");
            assertThat(pipeline.store().interaction("s-1", "int-1").get().orElseThrow().get(InteractionField.RESPONSE))
                    .isEqualTo("Our product offers... (int-1)");
            for (String key : List.of(keys.session("s-1"), keys.interaction("s-1", "int-1"), keys.latestResponse("s-1"),
                    keys.session("s-2"))) {
                assertThat(redis.pttl(key)).as("the strategy's TTL, not the old key's: " + key)
                        .isBetween(1L, Duration.ofHours(1).toMillis());
            }
            assertThat(counter(app, "mtp.cache.superseded.other.incarnation")).isEqualTo(4);
            assertThat(counter(app, "mtp.cache.superseded.other.incarnation", "kind", "latest")).isEqualTo(1);
        }
    }

    @Test
    void aReplayOfEveryEventChangesNothing(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            pipeline.startApp();
            Instant t = Instant.now();
            List<EventEnvelope> events = new ArrayList<>();
            for (int s = 0; s < 20; s++) {
                events.add(Events.created("s-" + s, "WITH_CONTEXT", t));
                events.add(Events.interaction("s-" + s, "int-a", "RESPONSE_ONLY", t));
                events.add(Events.updated("s-" + s, null, t.plusMillis(1),
                        new SessionUpdated(null, "idle", Map.of("step", s), null)));
                events.add(Events.interaction("s-" + s, "int-b", "WITH_CONTEXT", t.plusMillis(2)));
            }
            pipeline.produceAll(events);
            pipeline.awaitConverged(CONVERGE);
            pipeline.awaitCommitted(CONVERGE);
            Map<String, String> before = dump(ns);
            pipeline.stopApps();

            // Rewind the group to the beginning: every event is delivered again.
            Map<TopicPartition, OffsetAndMetadata> rewind = new HashMap<>();
            for (String topic : List.of(pipeline.topics.sessions().name(), pipeline.topics.interactions().name())) {
                for (int p = 0; p < Pipeline.PARTITIONS; p++) {
                    rewind.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
                }
            }
            ns.admin().alterConsumerGroupOffsets(CacheWriterConfig.groupId(ns.topicPrefix()), rewind).all()
                    .get(30, TimeUnit.SECONDS);
            RunningApp again = pipeline.startApp();
            await().atMost(CONVERGE).until(() -> counter(again, "mtp.cache.events") >= events.size());
            pipeline.awaitCommitted(CONVERGE);

            assertThat(dump(ns)).isEqualTo(before);
            // Per session and topic the last event is the same offset again (duplicate), the earlier ones are older
            // than the state (stale): none applies, nothing is written.
            assertThat(counter(again, "mtp.cache.events", "decision", "applied")).isZero();
            assertThat(counter(again, "mtp.cache.events", "decision", "duplicate")).isEqualTo(events.size() / 2);
            assertThat(counter(again, "mtp.cache.events", "decision", "stale")).isEqualTo(events.size() / 2);
            assertThat(counter(again, "mtp.cache.keys")).isZero();
        }
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheRestLands(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            RunningApp app = pipeline.startApp();
            pipeline.produceRaw(pipeline.topics.sessions().name(), "s-1", "not json {".getBytes(StandardCharsets.UTF_8));
            pipeline.produce(Events.created("s-1", "CRITICAL_ONLY", Instant.now()));
            pipeline.awaitConverged(CONVERGE);

            try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, ns.group("dlq-reader"),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                dlq.subscribe(List.of(pipeline.topics.deadLetter().name()));
                List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
                await().atMost(CONVERGE).until(() -> {
                    dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
                    return !letters.isEmpty();
                });
                ConsumerRecord<byte[], byte[]> letter = letters.get(0);
                assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not json {");
                assertThat(new String(letter.headers().lastHeader(DeadLetterPublisher.SOURCE_TOPIC).value(),
                        StandardCharsets.UTF_8)).isEqualTo(pipeline.topics.sessions().name());
                assertThat(new String(letter.headers().lastHeader(DeadLetterPublisher.APP).value(),
                        StandardCharsets.UTF_8)).isEqualTo("cache-writer");
            }
            // The meters an operator reads: events/s (rates of these counters), keys by outcome, batch latency, lag.
            // Counted once the batch is through (after Redis, which the test saw converge, and the state topic).
            await().atMost(CONVERGE).until(() ->
                    counter(app, "mtp.cache.events", "topic", "sessions", "decision", "applied") == 1);
            assertThat(counter(app, "mtp.consume.dead.lettered")).isEqualTo(1);
            assertThat(counter(app, "mtp.cache.keys", "kind", "session", "outcome", "written")).isEqualTo(1);
            MeterRegistry registry = app.meterRegistry();
            assertThat(registry.find("mtp.cache.keys").tags("outcome", "stale").counters()).isNotEmpty();
            assertThat(registry.find("mtp.cache.keys").tags("outcome", "removed").counters()).isNotEmpty();
            assertThat(registry.find("mtp.consume.batch.latency").timer()).isNotNull();
            assertThat(registry.find("mtp.cache.redis").timer().count()).isPositive();
            System.gc(); // a gauge whose object nothing else holds reads NaN once it is collected
            assertThat(registry.find("mtp.cache.state.sessions").gauge().value()).isEqualTo(1);
            assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max").gauges()).isNotEmpty();
        }
    }

    @Test
    void aRebalanceHandsTheSessionStateToTheNextOwner(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            RunningApp first = pipeline.startApp();
            Instant t = Instant.now();
            List<EventEnvelope> creates = new ArrayList<>();
            for (int s = 0; s < 30; s++) {
                creates.add(Events.created("s-" + s, "FULL_SESSION", t));
            }
            pipeline.produceAll(creates);
            pipeline.awaitConverged(CONVERGE);

            // A second instance joins: partitions move, and their state with them through the state topic.
            pipeline.startApp();
            List<EventEnvelope> updates = new ArrayList<>();
            for (int s = 0; s < 30; s++) {
                updates.add(Events.updated("s-" + s, null, t.plusMillis(1),
                        new SessionUpdated(null, "idle", Map.of("round", 1), null)));
            }
            pipeline.produceAll(updates);
            pipeline.awaitConverged(CONVERGE);

            // The first leaves: the second owns everything now.
            first.close();
            List<EventEnvelope> more = new ArrayList<>();
            for (int s = 0; s < 30; s++) {
                more.add(Events.updated("s-" + s, null, t.plusMillis(2),
                        new SessionUpdated(null, null, null, Map.of("round", 2))));
            }
            pipeline.produceAll(more);
            pipeline.awaitConverged(CONVERGE);
            var s0 = pipeline.store().session("s-0").get().orElseThrow();
            assertThat(s0.get(SessionField.USER_ID)).isEqualTo("user-456");
            assertThat(s0.get(SessionField.STATUS)).isEqualTo("idle");
            assertThat(s0.get(SessionField.METADATA)).isEqualTo(Map.of("source", "web_chat", "round", 2));
        }
    }

    private static Map<String, String> dump(TestNamespace ns) {
        RedisCommands<String, String> redis = ns.redis().sync();
        Map<String, String> out = new java.util.TreeMap<>();
        for (String key : redis.keys(ns.redisKeyPrefix() + "{*")) {
            String value = redis.type(key).equals("string") ? redis.get(key) : String.valueOf(redis.smembers(key));
            out.put(key, value + " @" + redis.pexpiretime(key));
        }
        return out;
    }

    @SuppressWarnings("unused")
    private static OffsetSpec latest() {
        return OffsetSpec.latest();
    }

    @SuppressWarnings("unused")
    private static InteractionField any() {
        return InteractionField.RESPONSE;
    }
}
