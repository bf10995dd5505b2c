package dev.mtp.ops;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.reconciler.ShadowReconcilerApp;
import dev.mtp.reconciler.ShadowReconcilerConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import dev.mtp.runtime.kafka.TopicIncarnations;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ./mtp shadow check [--repair]} against a running reconciler, a real broker and a real Redis. */
@RealServers
class ShadowCheckIT {

    @TempDir
    Path stateDir;

    private final Map<String, String> properties = new HashMap<>();

    @AfterEach
    void clearProperties() {
        properties.keySet().forEach(System::clearProperty);
    }

    record Run(int exitCode, String out) {}

    Run cli(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new OpsCli()).execute(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void reportsDriftByKindWithoutTouchingRedisThenRepairsIt(TestNamespace ns) throws Exception {
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers(), "REDIS_URL", ns.redisUrl(),
                "MONGODB_URI", ns.mongoUri(), "MONGODB_DATABASE", ns.mongoDatabaseName(),
                "APP_TOPICS_PREFIX", ns.topicPrefix(), "APP_TOPICS_PARTITIONS", "2",
                "APP_CACHE_KEY_PREFIX", ns.redisKeyPrefix(), "OPS_PORT", "0",
                "APP_RECONCILER_STATE_DIR", stateDir.toString(), "APP_RECONCILER_CHECK_DELAY_MS", "1000");
        // The CLI reads the same settings, here as system properties (they win over the environment).
        properties.put("kafka.bootstrap.servers", ns.kafkaBootstrapServers());
        properties.put("redis.url", ns.redisUrl());
        properties.put("app.topics.prefix", ns.topicPrefix());
        properties.put("app.cache.key-prefix", ns.redisKeyPrefix());
        properties.put("app.reconciler.check-delay-ms", "1000");
        properties.forEach(System::setProperty);

        PersistenceTopics topics = PersistenceTopics.withPrefix(ns.topicPrefix());
        CacheKeys keys = new CacheKeys(ns.redisKeyPrefix());
        RedisCommands<String, String> redis = ns.redis().sync();
        try (RunningApp reconciler = AppLauncher.start(ShadowReconcilerConfig.TABLE, ShadowReconcilerApp::start,
                Map.of(), env)) {
            produceSessions(ns, topics, 30);
            await().atMost(Duration.ofSeconds(60)).until(() -> redis.exists(keys.latestResponse("s-29")) == 1);
            // The check reads the reconciler's changelog, which gets the shadow's changes at each commit
            // (app.reconciler.commit-interval-ms, record cache in front of the store): wait until it carries all
            // 90 keys (a session, an interaction and a latest-response key per session) and their last checks.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Run check = cli("shadow", "check");
                return check.exitCode() == 0 && check.out().contains("KVShadow: 90 keys");
            });

            TopicIncarnations current;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ns.kafkaBootstrapServers()))) {
                current = TopicIncarnations.resolve(admin, topics.allNames(), Duration.ofSeconds(30));
            }
            redis.del(keys.session("s-1"));
            redis.persist(keys.interaction("s-2", "int-2"));
            redis.set(keys.latestResponse("s-3"), "garbage");
            // The session as an earlier life of the sessions topic left it, at offsets far above today's.
            String earlier = "900.Earlier0,-1";
            asOfAnEarlierLife(ns, keys.session("s-4"), earlier);

            Run report = cli("shadow", "check");
            System.err.println(report.out());
            assertThat(report.exitCode()).as(report.out()).isEqualTo(ShadowCommand.DRIFT);
            assertThat(report.out()).containsPattern("missing\\s+1").containsPattern("ttl\\s+1")
                    .containsPattern("value\\s+1").containsPattern("other_incarnation\\s+1")
                    .contains("run with --repair").contains(keys.session("s-1"))
                    .containsPattern(Pattern.quote(keys.session("s-4")) + "\\s+other_incarnation .*redis "
                            + Pattern.quote(earlier))
                    .contains("current incarnations: sessions " + current.of(topics.sessions().name()));
            assertThat(redis.exists(keys.session("s-1"))).as("report only: Redis untouched").isZero();

            Run repair = cli("shadow", "check", "--repair");
            System.err.println(repair.out());
            assertThat(repair.exitCode()).as(repair.out()).isZero();
            assertThat(repair.out()).contains("4 keys drifted, all repaired");
            assertThat(redis.exists(keys.session("s-1"))).isEqualTo(1);
            assertThat(redis.ttl(keys.interaction("s-2", "int-2"))).isPositive();
            assertThat(redis.get(keys.session("s-4"))).as("rewritten in the incarnation consumed now")
                    .contains("." + current.of(topics.sessions().name()).tag() + ",").doesNotContain(earlier);

            Run again = cli("shadow", "check");
            assertThat(again.exitCode()).as(again.out()).isZero();
            assertThat(again.out()).contains("consistent: Redis holds the desired state of every checked key");
        }
    }

    /** Rewrites the key's versions in its header to {@code versions}, keeping its body and TTL. */
    private static void asOfAnEarlierLife(TestNamespace ns, String key, String versions) {
        try (StatefulRedisConnection<String, byte[]> bytes = ns.redisClient()
                .connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
            byte[] value = bytes.sync().get(key);
            String text = new String(value, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            int bar = text.indexOf('|');
            byte[] rewritten = (text.substring(0, colon + 1) + versions + text.substring(bar))
                    .getBytes(StandardCharsets.ISO_8859_1);
            bytes.sync().set(key, rewritten, SetArgs.Builder.keepttl());
        }
    }

    private static void produceSessions(TestNamespace ns, PersistenceTopics topics, int n) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        TopicDescriptor<String, EventEnvelope> sessions = topics.sessions();
        TopicDescriptor<String, EventEnvelope> interactions = topics.interactions();
        ns.awaitTopicReady(sessions.name());
        ns.awaitTopicReady(interactions.name());
        Instant now = Instant.now();
        try (KafkaProducer<String, EventEnvelope> producer = new KafkaProducer<>(props, new StringSerializer(),
                sessions.valueSerde().serializer())) {
            for (int i = 0; i < n; i++) {
                String s = "s-" + i;
                producer.send(new ProducerRecord<>(sessions.name(), s, EventEnvelope.of(UUID.randomUUID(), s, s,
                        "WITH_CONTEXT", now, "test", new SessionCreated("user-1", "active", Map.of("topic", "x"),
                                Map.of())))).get();
                producer.send(new ProducerRecord<>(interactions.name(), s, EventEnvelope.of(UUID.randomUUID(), s,
                        "int-" + i, "RESPONSE_ONLY", now, "test", new InteractionRecorded("assistant", "q?", "a.",
                                Map.of(), Map.of(), 5L)))).get();
            }
        }
    }
}
