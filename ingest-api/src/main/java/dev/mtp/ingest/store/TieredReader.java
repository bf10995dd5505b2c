package dev.mtp.ingest.store;

import com.mongodb.client.MongoDatabase;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CachedValue;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.read.ReadUnavailableException;
import dev.mtp.documents.Fields;
import dev.mtp.documents.UserMapCodec;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.eq;

/**
 * Reads Redis first (cache-store's reader: the strategy-shaped projection) and MongoDB second (the complete
 * documents of mongo-writer's model, user maps decoded with its own codec). A Redis failure falls through to
 * MongoDB; only when MongoDB cannot answer either is the read unavailable (never a false "not found").
 */
public final class TieredReader implements EntityReader {
    private static final Logger log = LoggerFactory.getLogger(TieredReader.class);
    /** Bookkeeping of the writers, not part of the answer. */
    private static final Set<String> INTERNAL = Set.of(Fields.ID, Fields.SCHEMA_VERSION, Fields.WRITTEN_AT,
            Fields.VERSIONS, Fields.REV, Fields.EVENT_ID, Fields.DELETED, Fields.DELETED_AT, Fields.DELETE_REASON);
    private static final Set<String> USER_MAPS = Set.of(Fields.CONTEXT, Fields.METADATA, Fields.EVALUATION_DATA);

    private final CacheStore cache;
    private final MongoDatabase mongo;
    private final Duration timeout;

    public TieredReader(CacheStore cache, MongoDatabase mongo, Duration timeout) {
        this.cache = cache;
        this.mongo = mongo;
        this.timeout = timeout;
    }

    @Override
    public Optional<Found> session(String sessionId) {
        Optional<Found> cached = fromRedis("session " + sessionId, () -> cache.session(sessionId)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        if (cached.isPresent()) {
            return cached;
        }
        return fromMongo(Fields.SESSIONS, sessionId, null).map(doc -> {
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("sessionId", sessionId);
            session.putAll(doc);
            // A session only updated, never created (docs/decisions/0004): partial, said so.
            session.put("created", doc.containsKey(Fields.CREATED_AT));
            return new Found(Tier.MONGODB, session, (String) doc.get(Fields.CACHE_STRATEGY));
        });
    }

    @Override
    public Optional<Found> interaction(String interactionId, String sessionId) {
        if (sessionId != null) {
            Optional<Found> cached = fromRedis("interaction " + interactionId, () -> cache.interaction(sessionId, interactionId)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            if (cached.isPresent()) {
                return cached;
            }
        }
        return fromMongo(Fields.INTERACTIONS, interactionId, sessionId).map(doc -> {
            Map<String, Object> interaction = new LinkedHashMap<>();
            interaction.put("interactionId", interactionId);
            interaction.putAll(doc);
            return new Found(Tier.MONGODB, interaction, (String) doc.get(Fields.CACHE_STRATEGY));
        });
    }

    @FunctionalInterface
    private interface RedisRead {
        Optional<? extends CachedValue<?>> get() throws Exception;
    }

    private Optional<Found> fromRedis(String what, RedisRead read) {
        try {
            return read.get().map(value -> new Found(Tier.REDIS, value.toJsonMap(), value.strategy().name()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadUnavailableException("interrupted", e);
        } catch (Exception e) {
            // The cache is an accelerator: MongoDB has the complete state.
            log.warn("Redis read of {} failed, asking MongoDB: {}", what, e.toString());
            return Optional.empty();
        }
    }

    private Optional<Map<String, Object>> fromMongo(String collection, String id, String sessionId) {
        Document doc;
        try {
            doc = mongo.getCollection(collection).find(eq(Fields.ID, id))
                    .maxTime(timeout.toMillis(), TimeUnit.MILLISECONDS).first();
        } catch (RuntimeException e) {
            throw new ReadUnavailableException("MongoDB did not answer: " + e.getClass().getSimpleName(), e);
        }
        if (doc == null || Boolean.TRUE.equals(doc.get(Fields.DELETED))
                || (sessionId != null && doc.containsKey(Fields.SESSION_ID) && !sessionId.equals(doc.get(Fields.SESSION_ID)))) {
            return Optional.empty();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        doc.forEach((key, value) -> {
            if (!INTERNAL.contains(key)) {
                answer.put(key, USER_MAPS.contains(key) && value instanceof Document map ? UserMapCodec.decode(map) : plain(value));
            }
        });
        return Optional.of(answer);
    }

    private static Object plain(Object value) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Document document) {
            Map<String, Object> map = new LinkedHashMap<>();
            document.forEach((k, v) -> map.put(k, plain(v)));
            return map;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TieredReader::plain).toList();
        }
        if (value instanceof org.bson.types.Decimal128 decimal) {
            return decimal.bigDecimalValue();
        }
        return value;
    }
}
