package dev.mtp.mongowriter;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import dev.mtp.common.config.Config;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.documents.Fields;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.config.ConfigLoader;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/** mongo-writer against one test's namespace: topics, group, database; a producer; snapshots of the documents. */
final class Harness implements AutoCloseable {
    static final int PARTITIONS = 3;

    final TestNamespace ns;
    final PersistenceTopics topics;
    private KafkaProducer<String, byte[]> producer;
    private final List<RunningApp> apps = new ArrayList<>();

    Harness(TestNamespace ns) {
        this.ns = ns;
        this.topics = PersistenceTopics.withPrefix(ns.topicPrefix());
    }

    String group() {
        return ns.group("mongo-writer");
    }

    /** The app's environment; {@code extra} overrides. */
    Map<String, String> env(String mongoUri, String database, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers());
        env.put("MONGODB_URI", mongoUri);
        env.put("MONGODB_DATABASE", database);
        env.put("APP_TOPICS_PREFIX", ns.topicPrefix());
        env.put("APP_TOPICS_PARTITIONS", Integer.toString(PARTITIONS));
        env.put("OPS_PORT", "0");
        env.put("APP_MONGO_WRITER_GROUP_ID", group());
        env.put("APP_CONSUME_RETRY_INITIAL_MS", "200");
        env.put("APP_CONSUME_RETRY_MAX_MS", "2000");
        env.putAll(extra);
        return env;
    }

    RunningApp start() {
        return start(Map.of());
    }

    RunningApp start(Map<String, String> extra) {
        return start(ns.mongoUri(), ns.mongoDatabaseName(), extra);
    }

    RunningApp start(String mongoUri, String database, Map<String, String> extra) {
        RunningApp app = AppLauncher.start(MongoWriterConfig.TABLE, MongoWriterApp::start, Map.of(),
                env(mongoUri, database, extra));
        apps.add(app);
        return app;
    }

    /** mongo-writer in a process of its own (to be killed with SIGKILL), its output appended to {@code log}. */
    Process startChild(Path log, Map<String, String> extra) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                MongoWriterApp.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env(ns.mongoUri(), ns.mongoDatabaseName(), extra));
        return builder.start();
    }

    /**
     * Runs a reference writer ({@code extra} settings) on the same topics into another database until it has
     * committed everything, and asserts it wrote the same documents as the writers under test.
     */
    void assertSameAsAReferenceWriter(Map<String, String> extra, Duration within) throws Exception {
        long end = endTotal();
        String reference = ns.mongoDatabaseName() + "ref";
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("APP_MONGO_WRITER_GROUP_ID", ns.group("reference"));
        try {
            start(ns.mongoUri(), reference, settings);
            await().atMost(within).until(() -> committedTotal(ns.group("reference")) == end);
            assertSameDocuments(snapshot(db(), false), snapshot(ns.mongoClient().getDatabase(reference), false));
        } finally {
            ns.mongoClient().getDatabase(reference).drop();
        }
    }

    /** Creates the pipeline's topics as the apps would, and waits until they take produce requests. */
    void ensureTopics() throws InterruptedException {
        Config config = ConfigLoader.load(MongoWriterConfig.TABLE, Map.of(),
                env(ns.mongoUri(), ns.mongoDatabaseName(), Map.of()));
        PipelineTopics.ensure(ns.admin(), config, Duration.ofSeconds(30));
        topics.allNames().forEach(ns::awaitTopicReady);
    }

    /** Publishes each event to its topic, keyed by session id; returns the offsets, in order. */
    List<Long> produce(EventEnvelope... events) throws Exception {
        return produce(List.of(events));
    }

    List<Long> produce(List<EventEnvelope> events) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        for (EventEnvelope event : events) {
            sent.add(producer().send(new ProducerRecord<>(topics.forType(event.type()).name(), event.sessionId(),
                    EventCodec.encode(event))));
        }
        List<Long> offsets = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> f : sent) {
            offsets.add(f.get().offset());
        }
        return offsets;
    }

    /** Publishes the event to the given partition of its topic, wherever its key maps to; returns its offset. */
    long produceTo(int partition, EventEnvelope event) throws Exception {
        return producer().send(new ProducerRecord<>(topics.forType(event.type()).name(), partition, event.sessionId(),
                EventCodec.encode(event))).get().offset();
    }

    void produceRaw(String topic, String key, byte[] value) throws Exception {
        producer().send(new ProducerRecord<>(topic, key, value)).get();
    }

    KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 40 * 1024 * 1024,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Offsets committed by the writer's group, summed over the event topics' partitions. */
    long committedTotal() throws Exception {
        return committedTotal(group());
    }

    long committedTotal(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = ns.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** End offsets of the event topics, summed. */
    long endTotal() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var topic : topics.eventTopics()) {
            IntStream.range(0, PARTITIONS).forEach(p -> latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest()));
        }
        return ns.admin().listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }

    /** Waits until the writer committed everything produced so far. */
    void awaitCaughtUp(Duration timeout) throws Exception {
        long end = endTotal();
        await("mongo-writer commits up to " + end).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> committedTotal() == end);
    }

    MongoDatabase db() {
        return ns.mongoDatabase();
    }

    MongoCollection<Document> sessions() {
        return db().getCollection(Fields.SESSIONS);
    }

    MongoCollection<Document> interactions() {
        return db().getCollection(Fields.INTERACTIONS);
    }

    MongoCollection<Document> evaluations() {
        return db().getCollection(Fields.EVALUATIONS);
    }

    Document session(String id) {
        return sessions().find(new Document("_id", id)).first();
    }

    Document interaction(String id) {
        return interactions().find(new Document("_id", id)).first();
    }

    /**
     * Every document of the three collections, by collection, sorted by id, as JSON: exactly as stored, or (without
     * the writer's own write times and source positions) in canonical field order, to compare content.
     */
    static Map<String, List<String>> snapshot(MongoDatabase db, boolean withWriteTimes) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (String name : List.of(Fields.SESSIONS, Fields.INTERACTIONS, Fields.EVALUATIONS)) {
            List<String> docs = new ArrayList<>();
            for (Document doc : db.getCollection(name).find().sort(Sorts.ascending("_id"))) {
                if (!withWriteTimes) {
                    // When and in how many writes it was written depends on batches, not on content.
                    doc.remove(Fields.WRITTEN_AT);
                    doc.remove(Fields.SOURCE);
                    doc.remove(Fields.REV);
                }
                docs.add(withWriteTimes ? doc.toJson() : canonical(doc).toJson());
            }
            all.put(name, docs);
        }
        return all;
    }

    /**
     * The document with its fields in name order, recursively: field order follows the order in which updates
     * first set each field, which depends on batch boundaries, not on content.
     */
    static Document canonical(Document doc) {
        Document sorted = new Document();
        doc.keySet().stream().sorted().forEach(key -> sorted.append(key, canonicalValue(doc.get(key))));
        return sorted;
    }

    private static Object canonicalValue(Object value) {
        if (value instanceof Document d) {
            return canonical(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Harness::canonicalValue).toList();
        }
        return value;
    }

    Map<String, List<String>> snapshot() {
        return snapshot(db(), true);
    }

    /** Reads {@code expected} records of the dead-letter topic. */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, ns.group("dlq-reader-" + System.nanoTime()),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.deadLetter().name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return found.size() >= expected;
            });
        }
        return found;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Equal snapshots, or a failure naming the first document that differs. */
    static void assertSameDocuments(Map<String, List<String>> actual, Map<String, List<String>> expected) {
        for (String collection : expected.keySet()) {
            List<String> a = actual.get(collection);
            List<String> e = expected.get(collection);
            org.assertj.core.api.Assertions.assertThat(a).as(collection + " count").hasSameSizeAs(e);
            for (int i = 0; i < e.size(); i++) {
                org.assertj.core.api.Assertions.assertThat(a.get(i)).as(collection + " document " + i).isEqualTo(e.get(i));
            }
        }
    }

    static String summary(Map<String, List<String>> snapshot) {
        return snapshot.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size())
                .collect(Collectors.joining(", "));
    }

    /** Stops every writer this harness started (the group then has no member, so its offsets can be reset). */
    void stopApps() {
        for (int i = apps.size() - 1; i >= 0; i--) {
            apps.get(i).close();
        }
        apps.clear();
    }

    @Override
    public void close() {
        stopApps();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
