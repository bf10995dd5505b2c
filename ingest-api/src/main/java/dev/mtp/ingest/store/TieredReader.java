package dev.mtp.ingest.store;

import com.mongodb.client.MongoDatabase;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CachedValue;
import dev.mtp.cachestore.CorruptValueException;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.documents.Fields;
import dev.mtp.documents.StoredVersions;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.read.EntityVersion;
import dev.mtp.ingest.application.read.NotVisibleYetException;
import dev.mtp.ingest.application.read.ReadUnavailableException;
import dev.mtp.ingest.application.read.TierChoice;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import static com.mongodb.client.model.Filters.eq;

/**
 * Reads Redis first (cache-store's layout: the strategy-shaped projection) and MongoDB second (the complete
 * documents of mongo-writer's model, user maps decoded with its own codec). A Redis failure falls through to
 * MongoDB; only when MongoDB cannot answer either is the read unavailable (never a false "not found").
 *
 * <p>Each tier's answer comes with the versions it holds; {@link TierChoice} picks the one at or past the caller's
 * {@code minVersion} and a Redis tombstone's versions. When neither is, the writers are behind: the read asks both
 * tiers again every {@value #POLL_MS} ms for up to {@code app.read.wait-ms}, then gives up with
 * {@link NotVisibleYetException} (docs/decisions/0022).
 */
public final class TieredReader implements EntityReader {
    private static final Logger log = LoggerFactory.getLogger(TieredReader.class);
    private static final long POLL_MS = 50;
    /** Bookkeeping of the writers, not part of the answer. */
    private static final Set<String> INTERNAL = Set.of(Fields.ID, Fields.SCHEMA_VERSION, Fields.WRITTEN_AT,
            Fields.VERSIONS, Fields.REV, Fields.EVENT_ID, Fields.DELETED, Fields.DELETED_AT, Fields.DELETE_REASON);
    private static final Set<String> USER_MAPS = Set.of(Fields.CONTEXT, Fields.METADATA, Fields.EVALUATION_DATA);
    /** The topics whose versions each kind of entity carries, in the order of its Redis value's version vector. */
    private static final List<TopicRole> SESSION_KEY = List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS);
    private static final List<TopicRole> INTERACTION_KEY = List.of(TopicRole.INTERACTIONS);
    private static final Set<TopicRole> SESSION_DOCUMENT = EnumSet.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS,
            TopicRole.EVALUATIONS);
    private static final Set<TopicRole> INTERACTION_DOCUMENT = EnumSet.of(TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);

    private final CacheStore cache;
    private final MongoDatabase mongo;
    private final Duration timeout;
    private final Duration wait;
    private final Clock clock;

    /**
     * @param timeout the longest wait for each tier of one attempt ({@code app.read.timeout-ms})
     * @param wait    how long a read waits for the writers to reach its floor ({@code app.read.wait-ms})
     */
    public TieredReader(CacheStore cache, MongoDatabase mongo, Duration timeout, Duration wait, Clock clock) {
        this.cache = cache;
        this.mongo = mongo;
        this.timeout = timeout;
        this.wait = wait;
        this.clock = clock;
    }

    @Override
    public Optional<Found> session(String sessionId, EntityVersion minVersion) {
        return read("session " + sessionId, minVersion.only(SESSION_DOCUMENT),
                () -> fromRedis("session " + sessionId, cache.keys().session(sessionId), SESSION_KEY,
                        value -> ValueCodec.decodeSession(sessionId, value)),
                () -> fromMongo(Fields.SESSIONS, sessionId, null, SESSION_DOCUMENT, doc -> {
                    Map<String, Object> session = new LinkedHashMap<>();
                    session.put("sessionId", sessionId);
                    session.putAll(doc);
                    // A session only updated, never created (docs/decisions/0004): partial, said so.
                    session.put("created", doc.containsKey(Fields.CREATED_AT));
                    return session;
                }));
    }

    @Override
    public Optional<Found> interaction(String interactionId, String sessionId, EntityVersion minVersion) {
        return read("interaction " + interactionId, minVersion.only(INTERACTION_DOCUMENT),
                () -> sessionId == null ? Observed.ABSENT : fromRedis("interaction " + interactionId,
                        cache.keys().interaction(sessionId, interactionId), INTERACTION_KEY,
                        value -> ValueCodec.decodeInteraction(sessionId, interactionId, value)),
                () -> fromMongo(Fields.INTERACTIONS, interactionId, sessionId, INTERACTION_DOCUMENT, doc -> {
                    Map<String, Object> interaction = new LinkedHashMap<>();
                    interaction.put("interactionId", interactionId);
                    interaction.putAll(doc);
                    return interaction;
                }));
    }

    /** What one tier holds, and the answer it would give when it holds the entity. */
    private record Observed(TierChoice.Held held, Found found) {
        static final Observed ABSENT = new Observed(TierChoice.Held.ABSENT, null);
    }

    private Optional<Found> read(String what, EntityVersion minVersion, Supplier<Observed> redis, Supplier<Observed> mongo) {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Observed cached = redis.get();
            if (TierChoice.redisSuffices(cached.held(), minVersion)) {
                return Optional.of(cached.found());
            }
            Observed stored = mongo.get();
            switch (TierChoice.choose(cached.held(), stored.held(), minVersion)) {
                case REDIS -> { return Optional.of(cached.found()); }
                case MONGODB -> { return Optional.of(stored.found()); }
                case NOT_FOUND -> { return Optional.empty(); }
                case WAIT -> {
                    if (!clock.instant().isBefore(deadline)) {
                        throw new NotVisibleYetException(what, minVersion.isNone() ? cached.held().versions() : minVersion, wait);
                    }
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadUnavailableException("interrupted", e);
        }
    }

    private Observed fromRedis(String what, String key, List<TopicRole> topics,
                               Function<byte[], Optional<? extends CachedValue<?>>> decode) {
        StoredKey stored;
        try {
            stored = cache.inspect(key).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadUnavailableException("interrupted", e);
        } catch (Exception e) {
            // The cache is an accelerator: MongoDB has the complete state.
            log.warn("Redis read of {} failed, asking MongoDB: {}", what, e.toString());
            return Observed.ABSENT;
        }
        Optional<ValueCodec.Header> header = stored.header();
        if (header.isEmpty()) {
            return Observed.ABSENT;
        }
        EntityVersion versions = versions(header.get().versions(), topics);
        if (header.get().isTombstone()) {
            return new Observed(TierChoice.Held.removed(versions), null);
        }
        try {
            return decode.apply(stored.value())
                    .map(value -> new Observed(TierChoice.Held.present(versions),
                            new Found(Tier.REDIS, value.toJsonMap(), value.strategy().name(), versions)))
                    .orElse(Observed.ABSENT);
        } catch (CorruptValueException e) {
            log.warn("Redis holds an unreadable value of {}, asking MongoDB: {}", what, e.getMessage());
            return Observed.ABSENT;
        }
    }

    /** A Redis value's version vector by topic; one of another layout proves nothing. */
    private static EntityVersion versions(VersionVector vector, List<TopicRole> topics) {
        if (vector.size() != topics.size()) {
            return EntityVersion.NONE;
        }
        Map<TopicRole, Version> components = new EnumMap<>(TopicRole.class);
        for (int i = 0; i < topics.size(); i++) {
            components.put(topics.get(i), vector.get(i));
        }
        return new EntityVersion(components);
    }

    private Observed fromMongo(String collection, String id, String sessionId, Set<TopicRole> topics,
                               Function<Map<String, Object>, Map<String, Object>> shape) {
        Document doc;
        try {
            doc = mongo.getCollection(collection).find(eq(Fields.ID, id))
                    .maxTime(timeout.toMillis(), TimeUnit.MILLISECONDS).first();
        } catch (RuntimeException e) {
            throw new ReadUnavailableException("MongoDB did not answer: " + e.getClass().getSimpleName(), e);
        }
        if (doc == null || (sessionId != null && doc.containsKey(Fields.SESSION_ID)
                && !sessionId.equals(doc.get(Fields.SESSION_ID)))) {
            return Observed.ABSENT;
        }
        Map<TopicRole, Version> components = new EnumMap<>(TopicRole.class);
        topics.forEach(topic -> components.put(topic, StoredVersions.of(doc, topic)));
        EntityVersion versions = new EntityVersion(components);
        if (Boolean.TRUE.equals(doc.get(Fields.DELETED))) {
            return new Observed(TierChoice.Held.removed(versions), null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        doc.forEach((key, value) -> {
            if (!INTERNAL.contains(key)) {
                answer.put(key, USER_MAPS.contains(key) && value instanceof Document map ? UserMapCodec.decode(map) : plain(value));
            }
        });
        return new Observed(TierChoice.Held.present(versions),
                new Found(Tier.MONGODB, shape.apply(answer), (String) doc.get(Fields.CACHE_STRATEGY), versions));
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
