package dev.mtp.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.MongoStandIn;
import dev.mtp.mongowriter.MongoWriterApp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * mongo-writer against (a) a bare driver loop and (b) the official MongoDB Kafka sink connector, on the same topic
 * data, against the same MongoDB server, one after the other in one run; prints events/s and the ratios. A
 * command, not a test: {@code scripts/bench-mongo-writer [--events 200000]}.
 *
 * <p>Each system runs in a JVM of its own ({@value ConnectorRun#HEAP}), beside the servers in this JVM, and reads
 * the whole topic: first its warm-up events ({@code --warmup-events}, as many as the timed ones unless given), then
 * the timed ones. Rate = timed events / (time the last event is done - time the warm-up's last document appeared),
 * so start-up (JVM, Connect's plugin scan, group joins) and most of the JIT's work are left out for every system, as
 * they would be for a service that runs for days. "Done" is the committed offset for the bare loop and mongo-writer
 * (the stricter measure), the last document visible for the connector (which commits offsets only every second).
 * Servers: {@code KAFKA_BOOTSTRAP_SERVERS} and {@code MONGODB_URI} if set, else an in-process KRaft broker and the
 * in-process MongoDB stand-in (memory backend), as in the tests.
 */
public final class MongoWriterBenchmark {

    private record Result(String name, long events, double seconds, double secondsWithStart, Map<String, String> content,
                          ProcessCpu systemCpu, ThreadUsage.Split serverCpu) {
        /** Timed events per second. */
        double rate() {
            return events / seconds;
        }

        /**
         * CPU of the system's JVM and of the servers' (this JVM) in the timed window, microseconds per event, each
         * split: the system's application threads, GC and JIT; the stand-in's threads, the broker's (and this
         * benchmark's polling), GC and JIT.
         */
        String cpuPerEvent() {
            return String.format(Locale.ROOT, "%.2f cores busy; CPU per event: %.0f µs in its JVM (threads %.0f, GC %.0f,"
                            + " JIT %.0f) + %.0f µs in the servers' JVM (stand-in %.0f, broker %.0f, GC and JIT %.0f)",
                    (systemCpu.total() + serverCpu.totalCpu()) / seconds, perEvent(systemCpu.total()),
                    perEvent(systemCpu.application()), perEvent(systemCpu.gc()), perEvent(systemCpu.jit()),
                    perEvent(serverCpu.totalCpu()), perEvent(serverCpu.standInCpu()),
                    perEvent(serverCpu.otherThreadsCpu()), perEvent(serverCpu.restCpu()));
        }

        private double perEvent(double seconds) {
            return seconds * 1e6 / events;
        }
    }

    private final Map<String, String> options;
    private final List<AutoCloseable> owned = new ArrayList<>();

    private MongoWriterBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: MongoWriterBenchmark [--events N] [--warmup-events N] [--sessions N] [--partitions N] "
                        + "[--max-poll-records N] [--write-threads N] [--decode-ahead true|false] [--summary-window-ms N] [--summary-window-events N] "
                        + "[--writer-java-options OPTS] [--plugin-path DIR] [--skip-connector true] [--order abc]");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        MongoWriterBenchmark benchmark = new MongoWriterBenchmark(options);
        int code;
        try {
            code = benchmark.run();
        } finally {
            benchmark.close();
        }
        System.exit(code);
    }

    private int option(String name, int defaultValue) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(defaultValue)));
    }

    private int run() throws Exception {
        int events = option("events", 200_000);
        int warmupEvents = option("warmup-events", events);
        int total = warmupEvents + events;
        int sessions = option("sessions", Math.max(1, total / 40));
        int partitions = option("partitions", 6);
        int maxPoll = option("max-poll-records", 1_000);
        boolean skipConnector = Boolean.parseBoolean(options.getOrDefault("skip-connector", "false"));
        Path pluginPath = Path.of(options.getOrDefault("plugin-path", "benchmarks/target/connect-plugins"));
        if (!skipConnector && !Files.isDirectory(pluginPath.resolve("mongo-kafka-connect"))) {
            throw new IllegalStateException("no connector plugin in " + pluginPath.toAbsolutePath()
                    + "; build it with mvn -pl benchmarks -am package -DskipTests, or pass --plugin-path");
        }

        String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().partitions(partitions).start();
            owned.add(broker);
            bootstrap = broker.bootstrapServers();
        }
        String mongoUri = System.getenv("MONGODB_URI");
        String server = "MONGODB_URI " + mongoUri;
        if (mongoUri == null || mongoUri.isBlank()) {
            MongoStandIn standIn = MongoStandIn.inMemory(0);
            owned.add(standIn);
            mongoUri = standIn.connectionString();
            server = "MongoDB stand-in (mongo-java-server, memory backend, in this JVM)";
        }
        MongoClient mongo = MongoClients.create(mongoUri);
        owned.add(mongo);
        Admin admin = Admin.create(BenchKafka.client(bootstrap));
        owned.add(admin);

        String run = "b" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        PersistenceTopics topics = PersistenceTopics.withPrefix(run + ".");
        String topic = topics.interactions().name();
        admin.createTopics(topics.allNames().stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList())
                .all().get();
        awaitWritable(admin, topics.allNames(), partitions);

        System.out.printf(Locale.ROOT, "mongo-writer benchmark %s: %,d interaction events (%,d of warm-up, %,d timed) from"
                        + " %,d sessions, %d partitions, %,d records per poll%n  Kafka %s; %s%n", run, total, warmupEvents,
                events, sessions, partitions, maxPoll, bootstrap, server);
        long bytes = produce(bootstrap, topic, BenchData.interactions(total, sessions, 42));
        System.out.printf(Locale.ROOT, "  topic %s: %,d events, %.0f bytes of JSON on average%n", topic, total,
                (double) bytes / total);

        // Warm-up: the server and this JVM see the same work once before anything is measured.
        String warmDb = run + "_warmup";
        int warm = Math.min(total, 20_000);
        BareLoop.run(bootstrap, topic, run + "-warmup", mongo.getDatabase(warmDb).getCollection("interactions"),
                warm, maxPoll);
        mongo.getDatabase(warmDb).drop();

        Map<Character, SystemRun> systems = new LinkedHashMap<>();
        long[] counted = {0};
        String finalBootstrap = bootstrap;
        String finalUri = mongoUri;
        Path work = Files.createTempDirectory("mtp-bench-" + run);
        MongoDatabase bareDb = mongo.getDatabase(run + "_bare");
        String bareGroup = run + "-bare";
        systems.put('a', () -> {
            ConnectorRun[] bare = new ConnectorRun[1];
            try {
                return measure("(a) bare driver loop", warmupEvents, events, bareDb.getCollection("interactions"), () -> {
                    bare[0] = ConnectorRun.child(work.resolve("bare.log"), Map.of(), BareLoop.class.getName(),
                            finalBootstrap, topic, bareGroup, finalUri, bareDb.getName(), Integer.toString(total),
                            Integer.toString(maxPoll));
                    return () -> committed(admin, bareGroup) >= total;
                }, Content::ofWriterShape, () -> bare[0].cpu());
            } finally {
                if (bare[0] != null) {
                    bare[0].close();
                }
                bareDb.drop();
            }
        });

        if (!skipConnector) {
            MongoDatabase connectorDb = mongo.getDatabase(run + "_connector");
            MongoCollection<Document> connectorDocs = connectorDb.getCollection("interactions");
            String connectorUri = mongoUri + (mongoUri.contains("?") ? "&" : "/?") + "w=majority&journal=true";
            systems.put('b', () -> {
                ConnectorRun[] connector = new ConnectorRun[1];
                try {
                    return measure("(b) mongo-kafka-connect 2.0.1", warmupEvents, events, connectorDocs, () -> {
                        connector[0] = ConnectorRun.start(work.resolve("connect"), pluginPath, finalBootstrap, topic, connectorUri,
                                connectorDb.getName(), run + "-connector", maxPoll);
                        return () -> {
                            if (!connector[0].isAlive()) {
                                throw new IllegalStateException("Kafka Connect exited; see " + connector[0].log());
                            }
                            return connectorDocs.estimatedDocumentCount() >= total;
                        };
                    }, Content::ofConnectorShape, () -> connector[0].cpu());
                } finally {
                    if (connector[0] != null) {
                        connector[0].close();
                    }
                    connectorDb.drop();
                }
            });
        }

        MongoDatabase writerDb = mongo.getDatabase(run + "_mongo_writer");
        String group = run + "-mongo-writer";
        int writerOpsPort = FreePorts.pick();
        systems.put('c', () -> {
            ConnectorRun[] app = new ConnectorRun[1];
            Result writer;
            try {
                writer = measure("(c) mongo-writer", warmupEvents, events, writerDb.getCollection("interactions"), () -> {
                    Map<String, String> env = new LinkedHashMap<>();
                    env.put("KAFKA_BOOTSTRAP_SERVERS", finalBootstrap);
                    env.put("MONGODB_URI", finalUri);
                    env.put("MONGODB_DATABASE", writerDb.getName());
                    env.put("APP_TOPICS_PREFIX", run + ".");
                    env.put("APP_TOPICS_PARTITIONS", Integer.toString(partitions));
                    env.put("APP_MONGO_WRITER_GROUP_ID", group);
                    env.put("APP_CONSUME_MAX_POLL_RECORDS", Integer.toString(maxPoll));
                    if (options.containsKey("write-threads")) {
                        env.put("APP_MONGO_WRITER_WRITE_THREADS", options.get("write-threads"));
                    }
                    if (options.containsKey("decode-ahead")) {
                        env.put("APP_MONGO_WRITER_DECODE_AHEAD", options.get("decode-ahead"));
                    }
                    if (options.containsKey("summary-window-ms")) {
                        env.put("APP_MONGO_WRITER_SUMMARY_WINDOW_MS", options.get("summary-window-ms"));
                    }
                    if (options.containsKey("summary-window-events")) {
                        env.put("APP_MONGO_WRITER_SUMMARY_WINDOW_EVENTS", options.get("summary-window-events"));
                    }
                    if (options.containsKey("writer-java-options")) {
                        env.put("JDK_JAVA_OPTIONS", options.get("writer-java-options")); // e.g. a flight recording
                    }
                    env.put("OPS_PORT", Integer.toString(writerOpsPort));
                    app[0] = ConnectorRun.child(work.resolve("mongo-writer.log"), env, MongoWriterApp.class.getName());
                    return () -> {
                        if (!app[0].isAlive()) {
                            throw new IllegalStateException("mongo-writer exited; see " + app[0].log());
                        }
                        return committed(admin, group) >= total;
                    };
                }, Content::ofWriterShape, () -> app[0].cpu());
                System.out.printf(Locale.ROOT, "  %-32s %s%n", "",
                        WriterCounters.scrape(writerOpsPort).perEvent(total));
            } finally {
                if (app[0] != null) {
                    app[0].close();
                }
            }
            for (Document s : writerDb.getCollection("sessions").find()) {
                counted[0] += s.getInteger("interactionCount", 0);
            }
            writerDb.drop();
            return writer;
        });

        // The servers' JVM changes as a run goes on (its heap, what the stand-in holds): --order cab runs
        // mongo-writer first, to see what position costs.
        List<Character> order = options.getOrDefault("order", "abc").chars().mapToObj(c -> (char) c)
                .filter(systems::containsKey).distinct().toList();
        if (order.size() != systems.size()) {
            throw new IllegalArgumentException("--order must name every system run (" + systems.keySet() + "): "
                    + options.get("order"));
        }
        Map<Character, Result> measured = new HashMap<>();
        for (char system : order) {
            measured.put(system, systems.get(system).run());
        }
        return report(systems.keySet().stream().map(measured::get).toList(), counted[0], total);
    }

    @FunctionalInterface
    private interface SystemRun {
        Result run() throws Exception;
    }

    @FunctionalInterface
    private interface Start {
        /** Starts the system; returns the check that it is done with every event. */
        BooleanSupplier start() throws Exception;
    }

    @FunctionalInterface
    private interface Reader {
        Map<String, String> read(MongoCollection<Document> interactions);
    }

    private static Result measure(String name, long warmupEvents, long events, MongoCollection<Document> docs, Start start,
                                  Reader content, Supplier<ProcessCpu> childCpu) throws Exception {
        System.out.printf(Locale.ROOT, "  running %s ...%n", name);
        // The servers' heap still holds the garbage of the system before (its database was dropped): collected now,
        // it is not collected on this system's time.
        System.gc();
        long launched = System.nanoTime();
        long deadline = launched + TimeUnit.MINUTES.toNanos(30);
        BooleanSupplier done = start.start();
        // The timed window opens when the warm-up's documents are all there (the first one's without a warm-up).
        long warmedUp = Math.max(1, warmupEvents);
        while (docs.estimatedDocumentCount() < warmedUp) {
            awaitNext(name, deadline, 5);
        }
        long opened = System.nanoTime();
        ProcessCpu systemBefore = childCpu.get();
        ThreadUsage serversBefore = ThreadUsage.now();
        while (!done.getAsBoolean()) {
            awaitNext(name, deadline, 20);
        }
        long finished = System.nanoTime();
        ProcessCpu systemCpu = childCpu.get().minus(systemBefore);
        ThreadUsage.Split serverCpu = ThreadUsage.now().since(serversBefore);
        Map<String, String> stored = content.read(docs);
        Result result = new Result(name, events, (finished - opened) / 1e9, (finished - launched) / 1e9, stored,
                systemCpu, serverCpu);
        System.out.printf(Locale.ROOT, "  %-32s %,10.0f events/s  (%.1f s timed; %.1f s with start-up and warm-up)%n"
                        + "  %-32s %s%n", name, result.rate(), result.seconds(), result.secondsWithStart(), "",
                result.cpuPerEvent());
        return result;
    }

    private static void awaitNext(String name, long deadline, long millis) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(name + " did not finish within 30 minutes");
        }
        Thread.sleep(millis);
    }

    private static int report(List<Result> results, long countedInteractions, long events) {
        Result bare = results.get(0);
        Result writer = results.get(results.size() - 1);
        System.out.println();
        System.out.println("Results (2 shared cores: noisy; re-run on a quiet machine for figures to quote)");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "  %-32s %,10.0f events/s%n    %s%n", r.name(), r.rate(), r.cpuPerEvent());
        }
        boolean ok = true;
        System.out.printf(Locale.ROOT, "  mongo-writer / bare loop:  %.2fx  (goal >= 0.80x)%n", writer.rate() / bare.rate());
        if (results.size() == 3) {
            Result connector = results.get(1);
            System.out.printf(Locale.ROOT, "  mongo-writer / connector:  %.2fx  (goal >= 1.50x)%n",
                    writer.rate() / connector.rate());
        }
        for (Result r : results) {
            long differing = r.content().entrySet().stream()
                    .filter(e -> !Objects.equals(e.getValue(), writer.content().get(e.getKey()))).count();
            boolean equal = r.content().size() == events && writer.content().size() == events && differing == 0;
            ok &= equal;
            System.out.printf(Locale.ROOT, "  documents of %-28s %s (%,d documents, %,d differ from mongo-writer's)%n",
                    r.name(), equal ? "equal in content" : "DIFFERENT", r.content().size(), differing);
        }
        boolean counts = countedInteractions == events;
        ok &= counts;
        System.out.printf(Locale.ROOT, "  mongo-writer's session interaction counts add up to %,d of %,d%s%n",
                countedInteractions, events, counts ? "" : "  MISMATCH");
        return ok ? 0 : 1;
    }

    private static long produce(String bootstrap, String topic, List<EventEnvelope> events) throws Exception {
        long bytes = 0;
        long start = System.nanoTime();
        Map<String, Object> props = BenchKafka.client(bootstrap);
        props.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (EventEnvelope event : events) {
                byte[] value = EventCodec.encode(event);
                bytes += value.length;
                sent.add(producer.send(new ProducerRecord<>(topic, event.sessionId(), value)));
                if (sent.size() == 10_000) {
                    for (Future<RecordMetadata> f : sent) {
                        f.get();
                    }
                    sent.clear();
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        System.out.printf(Locale.ROOT, "  produced in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return bytes;
    }

    private static void awaitWritable(Admin admin, List<String> names, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String name : names) {
            IntStream.range(0, partitions).forEach(p -> latest.put(new TopicPartition(name, p), OffsetSpec.latest()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static long committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                System.err.println("closing " + owned.get(i) + ": " + e);
            }
        }
    }
}
