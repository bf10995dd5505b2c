package dev.mtp.cachewriter;

import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CachedValue;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.kafka.TopicIncarnations;
import dev.mtp.testkit.KafkajsProducer;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One test's pipeline: the topics (3 partitions), a producer that remembers every event with its offset, the
 * cache-writer app(s) in this JVM, and the expected cache: the same pure fold and projections over the produced
 * events, compared with what Redis holds.
 */
final class Pipeline implements AutoCloseable {

    static final int PARTITIONS = 3;

    /** An event as produced: its partition, offset and the incarnation of its topic. */
    record Produced(EventEnvelope event, int partition, long offset, Incarnation incarnation) {
        Version version() {
            return Version.of(incarnation, offset);
        }
    }

    private final TestNamespace ns;
    private final String redisUrl;
    private final boolean cluster;
    final PersistenceTopics topics;
    /** The incarnations of the test's topics, as cache-writer resolves them at start. */
    final TopicIncarnations incarnations;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Produced> produced = new ArrayList<>();
    private final List<RunningApp> apps = new ArrayList<>();
    final RedisCacheStore store;

    Pipeline(TestNamespace ns) {
        this(ns, ns.redisUrl());
    }

    Pipeline(TestNamespace ns, String redisUrl) {
        this(ns, redisUrl, false);
    }

    /** @param cluster {@code redisUrl} is a seed node of a Redis Cluster */
    Pipeline(TestNamespace ns, String redisUrl, boolean cluster) {
        this.ns = ns;
        this.redisUrl = redisUrl;
        this.cluster = cluster;
        this.topics = PersistenceTopics.withPrefix(ns.topicPrefix());
        for (String name : topics.allNames()) {
            ns.createTopic(name.substring(ns.topicPrefix().length()), PARTITIONS);
        }
        try {
            this.incarnations = TopicIncarnations.resolve(ns.admin(), topics.allNames(), Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        this.store = RedisCacheStore.open(CacheStoreSettings.defaults(URI.create(redisUrl), ns.redisKeyPrefix())
                .withCluster(cluster), Clock.systemUTC());
    }

    /** The app's settings, as system properties. */
    Map<String, String> settings() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("kafka.bootstrap.servers", ns.kafkaBootstrapServers());
        props.put("redis.url", redisUrl);
        props.put("redis.mode", cluster ? "cluster" : "standalone");
        props.put("app.topics.prefix", ns.topicPrefix());
        props.put("app.topics.partitions", Integer.toString(PARTITIONS));
        props.put("app.cache.key-prefix", ns.redisKeyPrefix());
        props.put("ops.port", "0");
        props.put("app.consume.retry-initial-ms", "100");
        props.put("app.consume.retry-max-ms", "1000");
        props.put("app.cache.command-timeout-ms", "2000");
        return props;
    }

    RunningApp startApp() {
        RunningApp app = AppLauncher.start(CacheWriterConfig.TABLE, CacheWriterApp::start, settings(), Map.of());
        apps.add(app);
        return app;
    }

    // ---------------------------------------------------------------- producing

    Produced produce(EventEnvelope event) {
        return produceAll(List.of(event)).get(0);
    }

    List<Produced> produceAll(List<EventEnvelope> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (EventEnvelope e : events) {
            acks.add(producer.send(new ProducerRecord<>(topics.forType(e.type()).name(), e.sessionId(),
                    EventCodec.encode(e))));
        }
        List<Produced> out = new ArrayList<>();
        try {
            for (int i = 0; i < events.size(); i++) {
                RecordMetadata m = acks.get(i).get(30, TimeUnit.SECONDS);
                out.add(new Produced(events.get(i), m.partition(), m.offset(), incarnations.of(m.topic())));
            }
        } catch (Exception e) {
            throw new IllegalStateException("produce failed", e);
        }
        synchronized (produced) {
            produced.addAll(out);
        }
        return out;
    }

    /**
     * Publishes the events with kafkajs, a client in another language, with one of its partitioners; returns where
     * each landed. Only those where the contract's partitioner puts them are expected in the cache: the writer
     * dead-letters the others.
     */
    List<Produced> produceWithKafkajs(KafkajsProducer.Partitioner partitioner, List<EventEnvelope> events) throws Exception {
        List<KafkajsProducer.Sent> sent = KafkajsProducer.send(ns.kafkaBootstrapServers(), partitioner, events.stream()
                .map(e -> new KafkajsProducer.Message(topics.forType(e.type()).name(), e.sessionId(),
                        new String(EventCodec.encode(e), StandardCharsets.UTF_8))).toList());
        List<Produced> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(new Produced(events.get(i), sent.get(i).partition(), sent.get(i).offset(),
                    incarnations.of(topics.forType(events.get(i).type()).name())));
        }
        synchronized (produced) {
            out.stream().filter(Pipeline::whereTheContractPutsIt).forEach(produced::add);
        }
        return out;
    }

    static boolean whereTheContractPutsIt(Produced p) {
        return p.partition() == ContractPartitioner.partitionOf(p.event().sessionId(), PARTITIONS);
    }

    void produceRaw(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- expectations

    /** Each session's final state, folded from every produced event (sessions topic first, then interactions). */
    Map<String, SessionState> expectedStates() {
        Map<String, SessionState> states = new TreeMap<>();
        for (TopicRole topic : List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS)) {
            for (Produced p : snapshot()) {
                if (p.event().type().topic() == topic) {
                    String id = p.event().sessionId();
                    states.put(id, SessionFold.apply(states.getOrDefault(id, SessionState.empty(id)), p.event(),
                            p.version()).state());
                }
            }
        }
        return states;
    }

    private List<Produced> snapshot() {
        synchronized (produced) {
            List<Produced> copy = new ArrayList<>(produced);
            copy.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            return copy;
        }
    }

    /** Waits until Redis holds exactly the projection of every produced session and interaction. */
    void awaitConverged(Duration timeout) {
        await("cache converged").atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(this::assertConverged);
    }

    void assertConverged() throws Exception {
        Map<String, SessionState> states = expectedStates();
        for (SessionState s : states.values()) {
            Optional<Projection<SessionField>> want = SessionProjection.of(s);
            Optional<CachedValue<SessionField>> got = store.session(s.sessionId()).get(10, TimeUnit.SECONDS);
            assertThat(got.map(CachedValue::fields)).as("session %s", s.sessionId()).isEqualTo(want.map(Projection::fields));
            if (want.isPresent()) {
                assertThat(got.orElseThrow().versions()).as("versions of %s", s.sessionId())
                        .isEqualTo(VersionVector.session(s.sessionVersion(),
                                s.interactionsVersion().orNoneIn(incarnations.of(topics.interactions().name()))));
                StoredKey key = store.inspect(store.keys().session(s.sessionId())).get(10, TimeUnit.SECONDS);
                assertThat(key.expireAtMs()).as("expiry of %s", s.sessionId())
                        .isEqualTo(want.get().expireAt().toEpochMilli());
            }
        }
        Map<String, Produced> lastPerInteraction = new HashMap<>();
        Map<String, Produced> latestPerSession = new HashMap<>();
        for (Produced p : snapshot()) {
            if (p.event().type().topic() == TopicRole.INTERACTIONS) {
                lastPerInteraction.put(p.event().sessionId() + "/" + p.event().entityId(), p);
                latestPerSession.put(p.event().sessionId(), p);
            }
        }
        for (Produced p : lastPerInteraction.values()) {
            EventEnvelope e = p.event();
            boolean deleted = states.get(e.sessionId()).lifecycle() == SessionState.Lifecycle.DELETED;
            Optional<Map<InteractionField, Object>> want = deleted ? Optional.empty()
                    : InteractionProjection.of(e).map(Projection::fields);
            assertThat(store.interaction(e.sessionId(), e.entityId()).get(10, TimeUnit.SECONDS).map(CachedValue::fields))
                    .as("interaction %s/%s", e.sessionId(), e.entityId()).isEqualTo(want);
        }
        for (Produced p : latestPerSession.values()) {
            EventEnvelope e = p.event();
            boolean deleted = states.get(e.sessionId()).lifecycle() == SessionState.Lifecycle.DELETED;
            Optional<Map<InteractionField, Object>> want = deleted ? Optional.empty()
                    : InteractionProjection.latestResponse(e).map(Projection::fields);
            assertThat(store.latestResponse(e.sessionId()).get(10, TimeUnit.SECONDS).map(CachedValue::fields))
                    .as("latest response of %s", e.sessionId()).isEqualTo(want);
        }
    }

    /** Waits until the group committed every produced offset of the two topics it consumes. */
    void awaitCommitted(Duration timeout) {
        await("offsets committed").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String topic : List.of(topics.sessions().name(), topics.interactions().name())) {
                for (int p = 0; p < PARTITIONS; p++) {
                    request.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = ns.admin().listOffsets(request).all()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = ns.admin()
                    .listConsumerGroupOffsets(CacheWriterConfig.groupId(ns.topicPrefix()))
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() == e.getValue().offset()));
        });
    }

    void stopApps() {
        apps.forEach(RunningApp::close);
        apps.clear();
    }

    @Override
    public void close() {
        stopApps();
        producer.close(Duration.ofSeconds(5));
        store.close();
    }

    CacheStore store() {
        return store;
    }
}
