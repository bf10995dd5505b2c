package dev.mtp.ops;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CachedValue;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.Masking;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.Json;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.ops.where.EventMark;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.mongostore.MongoSettings;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shows where a session's events landed: each event in Kafka (topic, partition, offset, type), the session's keys in
 * Redis (strategy, versions, time to live, fields) and its documents in MongoDB (sessions, interactions, evaluations).
 * The writers are behind Kafka by design; {@code --wait-ms} waits until MongoDB's session document, and Redis's session
 * key when there is one, carry the versions of the newest events found in Kafka.
 *
 * <p>Versions are offsets in an incarnation of their topic (docs/decisions/0012): Redis versions print as
 * {@code 12.AbCdEfGh}, and a value or document whose versions are of another incarnation than the topic's on the
 * cluster now (written in another life of the topic, or before incarnations were recorded) is marked so.
 *
 * <p>Each event is marked against what each store holds of its topic for the session ({@link EventMark}): whether its
 * writer would apply it, find it a duplicate or stale (a replay), or find the topic's fields of another incarnation.
 */
@Command(name = "where", description = "Show where one session's events landed: Kafka, Redis, MongoDB.")
final class WhereCommand implements Callable<Integer> {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    @Option(names = "--session", required = true, description = "The session id.")
    String sessionId;

    @Option(names = "--wait-ms", defaultValue = "0",
            description = "Wait up to this long for the writers to catch up with the session's events (default 0).")
    long waitMs;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private String redisFailure;

    /** The incarnation of each event topic on the cluster now. */
    private final Map<TopicRole, Incarnation> current = new EnumMap<>(TopicRole.class);

    @Override
    public Integer call() throws Exception {
        Config config = OpsCli.config();
        out = spec.commandLine().getOut();
        List<Found> events = findEvents(config);
        Map<TopicRole, Long> newest = new EnumMap<>(TopicRole.class);
        events.forEach(found -> newest.merge(found.role(), found.at().offset(), Math::max));
        MongoClientSettings mongoSettings = MongoSettings.builder(config,
                        new ConnectionString(config.get(CommonConfigKeys.MONGODB_URI).toString()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .build();
        CacheStoreSettings cacheSettings = CacheStoreSettings.from(config);
        try (MongoClient mongo = MongoClients.create(mongoSettings); RedisCacheStore redis = openRedis(cacheSettings)) {
            MongoDatabase db = mongo.getDatabase(config.get(CommonConfigKeys.MONGODB_DATABASE));
            awaitWriters(db, redis, newest);
            printKafka(events, redisHolding(redis), mongoHolding(db));
            out.println("Redis (" + cacheSettings.keys().prefix() + "*):");
            if (redis == null) {
                unavailable(redisFailure);
            } else {
                try {
                    printRedis(redis);
                } catch (Exception e) {
                    unavailable(e.getMessage());
                }
            }
            try {
                printMongo(db);
            } catch (RuntimeException e) {
                unavailable(e.getMessage());
            }
        }
        out.flush();
        return 0;
    }

    /** Redis, or null when it cannot be reached ({@link #redisFailure} says why). */
    private RedisCacheStore openRedis(CacheStoreSettings settings) {
        try {
            return RedisCacheStore.open(settings, Clock.systemUTC());
        } catch (RuntimeException e) {
            redisFailure = e.getMessage();
            return null;
        }
    }

    private void unavailable(String reason) {
        out.println("  unavailable: " + Masking.maskUris(String.valueOf(reason)));
    }

    /** One of the session's events, with the role of its topic. */
    private record Found(TopicRole role, SessionEvents.Found at) {}

    /**
     * What one store holds of the session, for the marks: the version of each topic it keeps for it (empty: no key or
     * document), or nothing known when it did not answer.
     */
    private record Holding(boolean answered, Optional<Map<TopicRole, Version>> versions) {
        static final Holding UNAVAILABLE = new Holding(false, Optional.empty());

        EventMark mark(Version event, TopicRole topic) {
            return answered ? EventMark.of(event, versions.map(v -> v.getOrDefault(topic, Version.NONE)))
                    : EventMark.UNAVAILABLE;
        }
    }

    /** Reads the session's events of every event topic, and the incarnation of each topic now. */
    private List<Found> findEvents(Config config) throws InterruptedException {
        PersistenceTopics topics = PipelineTopics.of(config);
        Map<String, Object> client = KafkaClients.common(config, "where");
        TopicIncarnations incarnations = ClusterIncarnations.resolve(config);
        List<Found> events = new ArrayList<>();
        for (TopicDescriptor<String, EventEnvelope> topic : topics.eventTopics()) {
            current.put(topic.role(), incarnations.of(topic.name()));
            for (SessionEvents.Found found : SessionEvents.find(client, topic, sessionId)) {
                events.add(new Found(topic.role(), found));
            }
        }
        return events;
    }

    /**
     * The session key's versions: Redis keeps a session's sessions and interactions versions there. {@code store} is
     * null when Redis could not be reached.
     */
    private Holding redisHolding(RedisCacheStore store) throws InterruptedException {
        if (store == null) {
            return Holding.UNAVAILABLE;
        }
        try {
            StoredKey stored = await(store.inspect(store.keys().session(sessionId)));
            return new Holding(true, stored.versions().map(WhereCommand::byTopic));
        } catch (ExecutionException | TimeoutException e) {
            return Holding.UNAVAILABLE;
        }
    }

    /** The session document's versions: it carries the version of every event topic (docs/decisions/0006). */
    private Holding mongoHolding(MongoDatabase db) {
        try {
            Document session = db.getCollection("sessions").find(Filters.eq("_id", sessionId)).first();
            return new Holding(true, Optional.ofNullable(session)
                    .map(d -> d.get("versions", Document.class))
                    .map(versions -> {
                        Map<TopicRole, Version> byTopic = new EnumMap<>(TopicRole.class);
                        current.keySet().forEach(topic -> byTopic.put(topic, mongoVersion(versions, topic)));
                        return byTopic;
                    }));
        } catch (RuntimeException e) {
            return Holding.UNAVAILABLE;
        }
    }

    /**
     * Prints the session's events, each marked against the version of its topic that Redis (not for evaluations,
     * which are not cached) and MongoDB hold for the session.
     */
    private void printKafka(List<Found> events, Holding redis, Holding mongo) {
        Map<String, Incarnation> shown = new LinkedHashMap<>();
        current.forEach((role, incarnation) -> shown.put(role.baseName(), incarnation));
        out.println("Kafka (incarnations now: " + shown + "):");
        if (!events.isEmpty()) {
            out.println("  " + EventMark.LEGEND);
        }
        for (Found found : events) {
            SessionEvents.Found at = found.at();
            EventEnvelope event = at.event();
            Version version = Version.of(current.get(found.role()), at.offset());
            String redisMark = found.role() == TopicRole.EVALUATIONS ? ""
                    : "redis " + redis.mark(version, found.role()).label() + ", ";
            out.printf("  %s partition %d offset %d  %-22s %-14s event %s  %smongodb %s%n", at.topic(),
                    at.partition(), at.offset(), event.type().wireName(), event.entityId(), event.eventId(),
                    redisMark, mongo.mark(version, found.role()).label());
        }
    }

    private void awaitWriters(MongoDatabase db, RedisCacheStore redis, Map<TopicRole, Long> newest)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (System.nanoTime() < deadline && !caughtUp(mongoHolding(db), redisHolding(redis), newest)) {
            Thread.sleep(200);
        }
    }

    /**
     * True when MongoDB's session document holds the newest event of every topic, and Redis's session key, if there is
     * one, of the topics it keeps. Redis may rightly hold nothing (strategy NONE, expired) and is not waited for then,
     * nor when it does not answer; MongoDB not answering yet is waited for.
     */
    private boolean caughtUp(Holding mongo, Holding redis, Map<TopicRole, Long> newest) {
        boolean mongoDone = mongo.versions().map(v -> holdsNewest(v, newest))
                .orElse(mongo.answered() && newest.isEmpty());
        return mongoDone && redis.versions().map(v -> holdsNewest(v, newest)).orElse(true);
    }

    /** True when the versions hold the newest event of each topic they keep, in the topic's incarnation now. */
    private boolean holdsNewest(Map<TopicRole, Version> versions, Map<TopicRole, Long> newest) {
        return newest.entrySet().stream().filter(e -> versions.containsKey(e.getKey())).allMatch(e -> {
            Version stored = versions.get(e.getKey());
            return stored.incarnation().equals(current.get(e.getKey())) && stored.offset() >= e.getValue();
        });
    }

    /**
     * A document's version of a topic's fields: {@code versions.<topic>} with its incarnation beside it in
     * {@code versions.<topic>Incarnation} (docs/decisions/0006, 0012; absent: written before incarnations were
     * recorded).
     */
    private static Version mongoVersion(Document versions, TopicRole topic) {
        Object offset = versions.get(topic.baseName());
        if (!(offset instanceof Number n)) {
            return Version.NONE;
        }
        Object tag = versions.get(topic.baseName() + "Incarnation");
        return Version.of(Incarnation.parse(tag instanceof String t ? t : null), n.longValue());
    }

    /**
     * {@code " [another incarnation than the topic's now: sessions]"} for the topics whose version is of another
     * incarnation than the topic's on the cluster now; empty when none is.
     */
    private String otherIncarnations(Map<TopicRole, Version> versions) {
        List<String> others = new ArrayList<>();
        versions.forEach((topic, v) -> {
            if (!v.isNone() && !v.incarnation().equals(current.get(topic))) {
                others.add(topic.baseName() + (v.incarnation().isKnown() ? "" : " (written before incarnations)"));
            }
        });
        return others.isEmpty() ? "" : " [another incarnation than the topic's now: " + String.join(", ", others) + "]";
    }

    /** A cache key's versions by owning topic: [sessions, interactions] for a session key, [interactions] else. */
    private static Map<TopicRole, Version> byTopic(VersionVector v) {
        Map<TopicRole, Version> out = new EnumMap<>(TopicRole.class);
        if (v.size() == 2) {
            out.put(TopicRole.SESSIONS, v.get(0));
            out.put(TopicRole.INTERACTIONS, v.get(1));
        } else {
            out.put(TopicRole.INTERACTIONS, v.get(0));
        }
        return out;
    }

    private void printRedis(RedisCacheStore store) throws Exception {
        CacheKeys keys = store.keys();
        List<Map.Entry<String, Optional<? extends CachedValue<?>>>> values = new ArrayList<>();
        values.add(Map.entry(keys.session(sessionId), await(store.session(sessionId))));
        for (String id : await(store.interactionIds(sessionId))) {
            values.add(Map.entry(keys.interaction(sessionId, id), await(store.interaction(sessionId, id))));
        }
        values.add(Map.entry(keys.latestResponse(sessionId), await(store.latestResponse(sessionId))));
        for (Map.Entry<String, Optional<? extends CachedValue<?>>> key : values) {
            StoredKey stored = await(store.inspect(key.getKey()));
            if (key.getValue().isEmpty()) {
                out.printf("  %-40s %s%n", key.getKey(), stored.versions()
                        .map(v -> "tombstone (removed) at versions " + v + otherIncarnations(byTopic(v)))
                        .orElse(stored.exists() ? "not a value of this layout" : "absent"));
                continue;
            }
            CachedValue<?> value = key.getValue().get();
            long ttlSeconds = Math.max(0, (stored.expireAtMs() - System.currentTimeMillis()) / 1000);
            out.printf("  %-40s %s, versions %s%s, %d bytes, expires in %dm%02ds%n    %s%n", key.getKey(),
                    ((Enum<?>) value.strategy()).name(), value.versions(),
                    otherIncarnations(byTopic(value.versions())),
                    value.storedBytes(), ttlSeconds / 60, ttlSeconds % 60,
                    Json.mapper().writeValueAsString(value.toJsonMap()));
        }
    }

    private void printMongo(MongoDatabase db) {
        out.println("MongoDB (" + db.getName() + "):");
        print("sessions", db.getCollection("sessions").find(Filters.eq("_id", sessionId)));
        print("interactions", db.getCollection("interactions").find(Filters.eq("sessionId", sessionId)));
        print("evaluations", db.getCollection("evaluations").find(Filters.eq("sessionId", sessionId)));
    }

    private void print(String collection, Iterable<Document> documents) {
        boolean any = false;
        for (Document d : documents) {
            Document versions = d.get("versions", Document.class);
            Map<TopicRole, Version> byTopic = new EnumMap<>(TopicRole.class);
            if (versions != null) {
                current.keySet().forEach(topic -> byTopic.put(topic, mongoVersion(versions, topic)));
            }
            out.printf("  %-13s %s%s%n", collection, d.toJson(RELAXED), otherIncarnations(byTopic));
            any = true;
        }
        if (!any) {
            out.printf("  %-13s (none)%n", collection);
        }
    }

    private static <T> T await(CompletableFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
