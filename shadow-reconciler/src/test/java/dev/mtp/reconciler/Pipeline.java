package dev.mtp.reconciler;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.event.TopicRole;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline around the reconciler in a test: its configuration on a test namespace, a producer of events that
 * remembers where each landed, and an oracle of what Redis must hold once everything converged (design.md invariant
 * 5: exactly projection(strategy, latest state) for every live entity, nothing for NONE, deleted or expired ones).
 */
public final class Pipeline implements AutoCloseable {

    public static final int PARTITIONS = 3;

    private final TestNamespace ns;
    private final Path stateDir;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final PersistenceTopics topics;
    private final CacheKeys keys;
    private KafkaProducer<String, EventEnvelope> producer;
    private RedisCacheStore store;
    /** Every event produced, with its offset, per session, in produce order. */
    private final Map<String, List<Produced>> bySession = new LinkedHashMap<>();
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    private final List<Produced> unresolved = new ArrayList<>();

    public record Produced(EventEnvelope event, long offset) {}

    public Pipeline(TestNamespace ns, Path stateDir) {
        this.ns = ns;
        this.stateDir = stateDir;
        this.topics = PersistenceTopics.withPrefix(ns.topicPrefix());
        this.keys = new CacheKeys(ns.redisKeyPrefix());
    }

    public Pipeline set(String env, String value) {
        overrides.put(env, value);
        return this;
    }

    public Pipeline setAll(Map<String, String> env) {
        overrides.putAll(env);
        return this;
    }

    public CacheKeys keys() {
        return keys;
    }

    public PersistenceTopics topics() {
        return topics;
    }

    /** Environment of an app of this pipeline: the namespace's servers, topics and keys, quick test pacing. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers());
        env.put("REDIS_URL", ns.redisUrl());
        env.put("MONGODB_URI", ns.mongoUri());
        env.put("MONGODB_DATABASE", ns.mongoDatabaseName());
        env.put("APP_TOPICS_PREFIX", ns.topicPrefix());
        env.put("APP_TOPICS_PARTITIONS", String.valueOf(PARTITIONS));
        env.put("APP_CACHE_KEY_PREFIX", ns.redisKeyPrefix());
        env.put("OPS_PORT", "0");
        env.put("APP_RECONCILER_STATE_DIR", stateDir.toString());
        env.put("APP_RECONCILER_CHECK_DELAY_MS", "2000");
        env.put("APP_RECONCILER_CANARY_INTERVAL_MS", "500");
        env.put("APP_RECONCILER_TRACKING_FLUSH_MS", "200");
        env.putAll(overrides);
        return env;
    }

    /** Environment of cache-writer on the same namespace (it refuses the reconciler's APP_RECONCILER_ keys). */
    public Map<String, String> cacheWriterEnvironment() {
        Map<String, String> env = new HashMap<>(environment());
        env.keySet().removeIf(k -> k.startsWith("APP_RECONCILER_"));
        return env;
    }

    /** The reconciler, in this JVM. */
    public RunningApp startReconciler() {
        return AppLauncher.start(ShadowReconcilerConfig.TABLE, ShadowReconcilerApp::start, Map.of(), environment());
    }

    public RedisCacheStore store() {
        if (store == null) {
            store = RedisCacheStore.open(CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix()),
                    Clock.systemUTC());
        }
        return store;
    }

    // ------------------------------------------------------------------ producing

    public synchronized void produce(EventEnvelope e) {
        if (producer == null) {
            for (TopicDescriptor<String, EventEnvelope> t : topics.eventTopics()) {
                ns.awaitTopicReady(t.name());
            }
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer = new KafkaProducer<>(props, new StringSerializer(), topics.sessions().valueSerde().serializer());
        }
        TopicDescriptor<String, EventEnvelope> topic = topics.forType(e.type());
        pending.add(producer.send(new ProducerRecord<>(topic.name(), e.sessionId(), e)));
        unresolved.add(new Produced(e, -1));
    }

    /** Waits for every send, records offsets; returns when the last one was acknowledged. */
    public synchronized long flush() throws Exception {
        producer.flush();
        for (int i = 0; i < pending.size(); i++) {
            RecordMetadata m = pending.get(i).get(30, TimeUnit.SECONDS);
            Produced p = new Produced(unresolved.get(i).event(), m.offset());
            bySession.computeIfAbsent(p.event().sessionId(), k -> new ArrayList<>()).add(p);
        }
        pending.clear();
        unresolved.clear();
        return System.nanoTime();
    }

    public int produced() {
        return bySession.values().stream().mapToInt(List::size).sum();
    }

    // ------------------------------------------------------------------ the oracle

    /** A key and what it must hold: a value with its expiry, or nothing (null). */
    public record Expected(String key, Map<String, Object> fields, long expireAtMs) {
        public boolean present() {
            return fields != null;
        }
    }

    /**
     * What Redis must hold at {@code nowMs} for every key the produced events touch. Each session's events are folded
     * per topic in offset order (the tests never interleave an interaction with the deletion of its session, the one
     * rule where the two topics' relative order matters).
     */
    public synchronized List<Expected> expected(long nowMs) {
        List<Expected> out = new ArrayList<>();
        ValueCodec plain = new ValueCodec(false, 0);
        for (Map.Entry<String, List<Produced>> e : bySession.entrySet()) {
            String sid = e.getKey();
            SessionState state = SessionState.empty(sid);
            Map<String, Produced> lastPerInteraction = new TreeMap<>();
            Produced latest = null;
            for (TopicRole topic : List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS)) {
                for (Produced p : e.getValue()) {
                    if (p.event().type().topic() != topic) {
                        continue;
                    }
                    boolean deletedBefore = state.lifecycle() == SessionState.Lifecycle.DELETED;
                    // Fields are compared, not versions: any one incarnation orders a topic's events the same.
                    SessionFold.Folded f = SessionFold.apply(state, p.event(), TestVersions.of(p.event(), p.offset()));
                    state = f.state();
                    if (f.applied() && topic == TopicRole.INTERACTIONS && !deletedBefore) {
                        lastPerInteraction.put(p.event().entityId(), p);
                        if (latest == null || p.offset() > latest.offset()) {
                            latest = p;
                        }
                    }
                }
            }
            boolean deleted = state.lifecycle() == SessionState.Lifecycle.DELETED;
            VersionVector sv = VersionVector.session(state.sessionVersion(), state.interactionsVersion());
            Optional<Projection<dev.mtp.common.strategy.SessionField>> sp = state.isLive()
                    ? SessionProjection.of(state) : Optional.empty();
            out.add(live(keys.session(sid), sp.map(p -> ValueCodec.decodeSession(sid, plain.session(p, sv))
                    .orElseThrow().toJsonMap()), sp.map(p -> p.expireAt().toEpochMilli()), nowMs));
            for (Produced p : lastPerInteraction.values()) {
                VersionVector iv = VersionVector.of(TestVersions.i(p.offset()));
                String iid = p.event().entityId();
                Optional<Projection<dev.mtp.common.strategy.InteractionField>> ip = deleted ? Optional.empty()
                        : InteractionProjection.of(p.event());
                out.add(live(keys.interaction(sid, iid), ip.map(v -> ValueCodec.decodeInteraction(sid, iid,
                        plain.interaction(v, iv)).orElseThrow().toJsonMap()), ip.map(v -> v.expireAt().toEpochMilli()), nowMs));
            }
            if (latest != null) {
                Produced l = latest;
                Optional<Projection<dev.mtp.common.strategy.InteractionField>> lp = deleted ? Optional.empty()
                        : InteractionProjection.latestResponse(l.event());
                out.add(live(keys.latestResponse(sid), lp.map(v -> ValueCodec.decodeLatestResponse(sid,
                                plain.latestResponse(v, VersionVector.of(TestVersions.i(l.offset())))).orElseThrow().toJsonMap()),
                        lp.map(v -> v.expireAt().toEpochMilli()), nowMs));
            }
        }
        return out;
    }

    private static Expected live(String key, Optional<Map<String, Object>> fields, Optional<Long> expireAt, long now) {
        if (fields.isEmpty() || expireAt.orElseThrow() <= now) {
            return new Expected(key, null, 0);
        }
        return new Expected(key, fields.get(), expireAt.get());
    }

    /** Keys read from Redis per round of {@link #differences}. */
    private static final int DIFF_CHUNK = 2_000;

    /**
     * The keys that differ from the oracle now (at most {@code limit}), as "key: why". Empty when converged.
     *
     * <p>Reads in rounds of {@value #DIFF_CHUNK} keys and stops at the first round with differences: while Redis is
     * far from converged (100k keys after a FLUSHALL) a poll costs a few thousand reads, not one per key, so the
     * test's own polling does not compete with the reconciler for Redis (the reconciler's checks yield to slow Redis
     * answers, so a poll of every key every 200 ms would slow down exactly what it measures).
     */
    public List<String> differences(List<Expected> expected, int limit) throws Exception {
        List<String> diffs = new ArrayList<>();
        for (int from = 0; from < expected.size() && diffs.isEmpty(); from += DIFF_CHUNK) {
            List<Expected> chunk = expected.subList(from, Math.min(expected.size(), from + DIFF_CHUNK));
            List<CompletableFuture<StoredKey>> reads = new ArrayList<>(chunk.size());
            for (Expected x : chunk) {
                reads.add(store().inspect(x.key()));
            }
            for (int i = 0; i < chunk.size() && diffs.size() < limit; i++) {
                String why = difference(chunk.get(i), reads.get(i).get(30, TimeUnit.SECONDS));
                if (why != null) {
                    diffs.add(chunk.get(i).key() + ": " + why);
                }
            }
        }
        return diffs;
    }

    /** Why the key differs from the oracle; null when it does not. */
    private String difference(Expected x, StoredKey s) {
        boolean holdsValue = s.exists() && !s.isTombstone();
        if (!x.present()) {
            return holdsValue ? "present, should not be" : null;
        }
        if (!holdsValue) {
            return "missing";
        }
        CacheKeys.Parsed k = keys.parse(x.key()).orElseThrow();
        Map<String, Object> actual = switch (k.kind()) {
            case SESSION -> ValueCodec.decodeSession(k.sessionId(), s.value()).orElseThrow().toJsonMap();
            case INTERACTION -> ValueCodec.decodeInteraction(k.sessionId(), k.interactionId(), s.value())
                    .orElseThrow().toJsonMap();
            case LATEST_RESPONSE -> ValueCodec.decodeLatestResponse(k.sessionId(), s.value()).orElseThrow().toJsonMap();
            case INTERACTION_INDEX -> throw new IllegalStateException();
        };
        if (!actual.equals(x.fields())) {
            return "value " + actual + " != " + x.fields();
        }
        if (s.expireAtMs() != x.expireAtMs()) {
            return "expiry " + s.expireAtMs() + " != " + x.expireAtMs();
        }
        return null;
    }

    public static boolean isEvent(EventEnvelope e, EventType type) {
        return e.type() == type;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (store != null) {
            store.close();
        }
    }
}
