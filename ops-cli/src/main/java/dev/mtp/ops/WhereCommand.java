package dev.mtp.ops;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
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
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.mongostore.MongoSettings;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
import java.util.concurrent.TimeUnit;

/**
 * Shows where a session's events landed: each event in Kafka (topic, partition, offset, type), the session's keys in
 * Redis (strategy, versions, time to live, fields) and its documents in MongoDB (sessions, interactions, evaluations).
 * The writers are behind Kafka by design; {@code --wait-ms} waits until MongoDB's session document carries the
 * versions of the newest events found in Kafka.
 *
 * <p>Versions are offsets in an incarnation of their topic (docs/decisions/0012): Redis versions print as
 * {@code 12.AbCdEfGh}, and a value or document whose versions are of another incarnation than the topic's on the
 * cluster now (written in another life of the topic, or before incarnations were recorded) is marked so.
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

    /** The incarnation of each event topic on the cluster now. */
    private final Map<TopicRole, Incarnation> current = new EnumMap<>(TopicRole.class);

    @Override
    public Integer call() throws Exception {
        Config config = OpsCli.config();
        Map<TopicRole, Long> newest = printKafka(config);
        MongoClientSettings mongoSettings = MongoSettings.builder(config,
                        new ConnectionString(config.get(CommonConfigKeys.MONGODB_URI).toString()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .build();
        try (MongoClient mongo = MongoClients.create(mongoSettings)) {
            MongoDatabase db = mongo.getDatabase(config.get(CommonConfigKeys.MONGODB_DATABASE));
            awaitMongo(db, newest);
            try {
                printRedis(config);
            } catch (Exception e) {
                System.out.println("  unavailable: " + Masking.maskUris(String.valueOf(e.getMessage())));
            }
            try {
                printMongo(db);
            } catch (RuntimeException e) {
                System.out.println("  unavailable: " + Masking.maskUris(String.valueOf(e.getMessage())));
            }
        }
        return 0;
    }

    /** Prints the session's events; returns the newest offset per topic. */
    private Map<TopicRole, Long> printKafka(Config config) throws InterruptedException {
        PersistenceTopics topics = PipelineTopics.of(config);
        Map<String, Object> client = KafkaClients.common(config, "where");
        Map<TopicRole, Long> newest = new EnumMap<>(TopicRole.class);
        TopicIncarnations incarnations = ClusterIncarnations.resolve(config);
        Map<String, Incarnation> shown = new LinkedHashMap<>();
        for (TopicDescriptor<String, EventEnvelope> topic : topics.eventTopics()) {
            current.put(topic.role(), incarnations.of(topic.name()));
            shown.put(topic.role().baseName(), incarnations.of(topic.name()));
        }
        System.out.println("Kafka (incarnations now: " + shown + "):");
        for (TopicDescriptor<String, EventEnvelope> topic : topics.eventTopics()) {
            for (SessionEvents.Found found : SessionEvents.find(client, topic, sessionId)) {
                EventEnvelope event = found.event();
                System.out.printf("  %s partition %d offset %d  %-22s %-14s event %s%n", found.topic(), found.partition(),
                        found.offset(), event.type().wireName(), event.entityId(), event.eventId());
                newest.merge(topic.role(), found.offset(), Math::max);
            }
        }
        return newest;
    }

    private void awaitMongo(MongoDatabase db, Map<TopicRole, Long> newest) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (System.nanoTime() < deadline) {
            try {
                if (caughtUp(db, newest)) {
                    return;
                }
            } catch (RuntimeException e) {
                // MongoDB not answering yet: keep waiting until the deadline, then show what there is
            }
            Thread.sleep(200);
        }
    }

    private boolean caughtUp(MongoDatabase db, Map<TopicRole, Long> newest) {
        Document session = db.getCollection("sessions").find(Filters.eq("_id", sessionId)).first();
        if (session == null) {
            return newest.isEmpty();
        }
        Document versions = session.get("versions", Document.class);
        return versions != null && newest.entrySet().stream().allMatch(e -> {
            Version stored = mongoVersion(versions, e.getKey());
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

    private void printRedis(Config config) throws Exception {
        CacheStoreSettings settings = CacheStoreSettings.from(config);
        System.out.println("Redis (" + settings.keys().prefix() + "*):");
        try (RedisCacheStore store = RedisCacheStore.open(settings, Clock.systemUTC())) {
            List<Map.Entry<String, Optional<? extends CachedValue<?>>>> keys = new ArrayList<>();
            keys.add(Map.entry(settings.keys().session(sessionId), await(store.session(sessionId))));
            for (String id : await(store.interactionIds(sessionId))) {
                keys.add(Map.entry(settings.keys().interaction(sessionId, id), await(store.interaction(sessionId, id))));
            }
            keys.add(Map.entry(settings.keys().latestResponse(sessionId), await(store.latestResponse(sessionId))));
            for (Map.Entry<String, Optional<? extends CachedValue<?>>> key : keys) {
                StoredKey stored = await(store.inspect(key.getKey()));
                if (key.getValue().isEmpty()) {
                    System.out.printf("  %-40s %s%n", key.getKey(), stored.versions()
                            .map(v -> "tombstone (removed) at versions " + v + otherIncarnations(byTopic(v)))
                            .orElse(stored.exists() ? "not a value of this layout" : "absent"));
                    continue;
                }
                CachedValue<?> value = key.getValue().get();
                long ttlSeconds = Math.max(0, (stored.expireAtMs() - System.currentTimeMillis()) / 1000);
                System.out.printf("  %-40s %s, versions %s%s, %d bytes, expires in %dm%02ds%n    %s%n", key.getKey(),
                        ((Enum<?>) value.strategy()).name(), value.versions(),
                        otherIncarnations(byTopic(value.versions())),
                        value.storedBytes(), ttlSeconds / 60, ttlSeconds % 60,
                        Json.mapper().writeValueAsString(value.toJsonMap()));
            }
        }
    }

    private void printMongo(MongoDatabase db) {
        System.out.println("MongoDB (" + db.getName() + "):");
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
            System.out.printf("  %-13s %s%s%n", collection, d.toJson(RELAXED), otherIncarnations(byTopic));
            any = true;
        }
        if (!any) {
            System.out.printf("  %-13s (none)%n", collection);
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
