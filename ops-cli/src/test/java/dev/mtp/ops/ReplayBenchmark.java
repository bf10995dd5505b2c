package dev.mtp.ops;

import dev.mtp.cachewriter.CacheWriterApp;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.MongoStandIn;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.mongowriter.MongoWriterApp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replay throughput per sink beside the sink's own (scripts/bench-replay): publishes N events (a fifth sessions, the
 * rest their interactions), then for cache-writer and for mongo-writer, each in a child JVM of the same heap, runs the
 * app from the start of the topics until its group has committed everything (the baseline), then replays the same
 * topics into an empty store with {@code mtp-ops replay --rate 0}; prints events/s, the ratio to the app and CPU per
 * event. Both include the JVM's start. Kafka in this process (or KAFKA_BOOTSTRAP_SERVERS), the MongoDB stand-in in
 * this process, a private redis-server.
 * Arguments: {@code --events=100000 --partitions=6 --heap=512m}.
 */
public final class ReplayBenchmark {

    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchArgs.parse(args, Map.of("events", "100000", "partitions", "6", "heap", "512m"));
        String kafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        EmbeddedKafkaBroker broker = null;
        if (kafka == null || kafka.isBlank()) {
            broker = EmbeddedKafkaBroker.builder().start();
            kafka = broker.bootstrapServers();
        }
        try (MongoStandIn mongo = MongoStandIn.inMemory(0);
             RedisServerProcess redis = RedisServerProcess.builder().port(FreePorts.pick()).start()) {
            run(kafka, mongo.connectionString(), redis.url(), Integer.parseInt(o.get("events")),
                    o.get("partitions"), o.get("heap"));
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static void run(String kafka, String mongo, String redis, int events, String partitions, String heap)
            throws Exception {
        String prefix = "benchreplay" + System.currentTimeMillis() + ".";
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "APP_TOPICS_PREFIX", prefix,
                "APP_TOPICS_PARTITIONS", partitions, "MONGODB_URI", mongo, "REDIS_URL", redis, "LOG_LEVEL", "WARN",
                "LOG_FORMAT", "text", "OPS_PORT", "0"));
        ChildJvm.run(heap, env, OpsCli.class.getName(), "topics", "create").check();
        PersistenceTopics topics = PersistenceTopics.withPrefix(prefix);
        publish(kafka, topics, events);
        System.out.printf(Locale.ROOT, "%nreplay benchmark: %,d events (%,d sessions, the rest their interactions) on "
                        + "%s partitions; %d cores, child heaps -Xmx%s, load %s%n%n", events, events / 5, partitions,
                Runtime.getRuntime().availableProcessors(), heap, Files.readString(Path.of("/proc/loadavg")).strip());
        List<String[]> rows = new ArrayList<>();
        String shown = "";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            for (String sink : List.of("cache-writer", "mongo-writer")) {
                Map<String, String> app = new HashMap<>(env);
                app.put("APP_CACHE_KEY_PREFIX", "app:");
                app.put("MONGODB_DATABASE", "app");
                app.put("APP_MONGO_WRITER_GROUP_ID", prefix + "mongo-writer");
                String group = sink.equals("cache-writer") ? prefix + "cache-writer" : prefix + "mongo-writer";
                List<TopicPartition> input = partitions(topics, sink, Integer.parseInt(partitions));
                ChildJvm own = ChildJvm.runUntil(heap, app, caughtUp(admin, group, input),
                        sink.equals("cache-writer") ? CacheWriterApp.class.getName() : MongoWriterApp.class.getName());
                double baseline = events / own.seconds();
                rows.add(row(sink, "the app from the start (baseline)", events, own, baseline));
                Map<String, String> replay = new HashMap<>(env);
                replay.put("APP_CACHE_KEY_PREFIX", "replay:");
                replay.put("MONGODB_DATABASE", "replay");
                replay.put("APP_MONGO_WRITER_GROUP_ID", prefix + "mongo-writer");
                ChildJvm replayed = ChildJvm.run(heap, replay, OpsCli.class.getName(), "replay", "--sink", sink,
                        "--rate", "0", "--checkpoint", Files.createTempDirectory("mtp-replay-bench").resolve("c.json")
                                .toString()).check();
                rows.add(row(sink, "replay --rate 0 into an empty store", events, replayed, baseline));
                shown = sink.equals("mongo-writer") ? replayed.output() : shown;
            }
        }
        System.out.printf("%-13s %-36s %9s %8s %9s %12s %8s %12s%n", "sink", "run", "events", "seconds", "events/s",
                "vs the app", "CPU s", "CPU us/event");
        rows.forEach(r -> System.out.printf("%-13s %-36s %9s %8s %9s %12s %8s %12s%n", (Object[]) r));
        System.out.println("\nthe mongo-writer replay's own output (progress on stderr, then the summary):\n");
        System.out.println(shown);
    }

    private static String[] row(String sink, String name, long events, ChildJvm c, double baseline) {
        double rate = events / c.seconds();
        return new String[]{sink, name, String.format(Locale.ROOT, "%,d", events),
                String.format(Locale.ROOT, "%.1f", c.seconds()), String.format(Locale.ROOT, "%,.0f", rate),
                String.format(Locale.ROOT, "%.2fx", rate / baseline), String.format(Locale.ROOT, "%.1f", c.cpuSeconds()),
                String.format(Locale.ROOT, "%.1f", c.cpuSeconds() * 1e6 / events)};
    }

    private static List<TopicPartition> partitions(PersistenceTopics topics, String sink, int count) {
        List<TopicPartition> all = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(topics.sessions().name(), topics.interactions().name()));
        if (sink.equals("mongo-writer")) {
            names.add(topics.evaluations().name());
        }
        for (String name : names) {
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartition(name, p));
            }
        }
        return all;
    }

    private static Callable<Boolean> caughtUp(Admin admin, String group, List<TopicPartition> input) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        input.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        long[] lastCheck = {0};
        return () -> {
            if (System.nanoTime() - lastCheck[0] < 200_000_000L) {
                return false;
            }
            lastCheck[0] = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            var ends = admin.listOffsets(latest).all().get();
            return input.stream().allMatch(tp -> ends.get(tp).offset() == 0 || committed.get(tp) != null
                    && committed.get(tp).offset() >= ends.get(tp).offset());
        };
    }

    private static void publish(String kafka, PersistenceTopics topics, int events) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        int sessions = events / 5;
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                String session = "session-" + i % sessions;
                EventEnvelope event = i < sessions
                        ? EventEnvelope.of(UUID.randomUUID(), session, session, "WITH_CONTEXT", Instant.now(),
                        "bench", new SessionCreated("user-" + i % 5000, "active", Map.of("plan", "pro", "locale",
                                "en-GB"), Map.of("channel", "web")))
                        : EventEnvelope.of(UUID.randomUUID(), session, "turn-" + i, "RESPONSE_ONLY", Instant.now(),
                        "bench", new InteractionRecorded("assistant", "How do I return item " + i + "?",
                                "Open your orders, choose the item and press Return.", Map.of(), Map.of(), 250L));
                String topic = i < sessions ? topics.sessions().name() : topics.interactions().name();
                producer.send(new ProducerRecord<>(topic, session.getBytes(StandardCharsets.UTF_8),
                        EventCodec.encode(event)), (m, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }
}
