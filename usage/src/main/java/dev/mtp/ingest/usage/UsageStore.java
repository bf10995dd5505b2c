package dev.mtp.ingest.usage;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import dev.mtp.common.usage.UsageTally;
import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;

/**
 * The usage aggregates of every ingest instance, in the MongoDB collection {@value #COLLECTION}: one document per
 * instance and time bucket (docs/decisions/0015). Written once when the bucket ends, removed after the retention
 * (explicitly at each flush, and by a TTL index on {@code expireAt} where the server has them).
 */
public final class UsageStore {
    public static final String COLLECTION = "usage";

    private final MongoCollection<Document> buckets;
    private final Duration retention;

    public UsageStore(MongoDatabase database, Duration retention) {
        this.buckets = database.getCollection(COLLECTION);
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /** The TTL index, once at start; a server without TTL indexes still gets the explicit pruning. */
    public void ensureIndexes() {
        buckets.createIndex(Indexes.ascending("expireAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
        buckets.createIndex(Indexes.ascending("end"));
    }

    /** One finished bucket of one instance, with what the instance says of itself at its end (profile, sync, sampler). */
    public void write(String instance, Instant start, Instant end, Map<String, UsageTally> tallies,
                      Map<String, Double> expiredUnreadNow, Map<String, Object> info) {
        Document stored = new Document();
        tallies.forEach((key, tally) -> {
            if (!tally.isEmpty()) {
                stored.put(key, new Document(tally.toMap()));
            }
        });
        Document doc = new Document("_id", instance + "/" + start.toEpochMilli())
                .append("instance", instance)
                .append("start", Date.from(start))
                .append("end", Date.from(end))
                .append("expireAt", Date.from(end.plus(retention)))
                .append("tallies", stored)
                .append("expiredUnreadNow", new Document(new LinkedHashMap<>(expiredUnreadNow)))
                .append("info", new Document(info));
        buckets.replaceOne(new Document("_id", doc.get("_id")), doc, new ReplaceOptions().upsert(true));
        buckets.deleteMany(lt("end", Date.from(end.minus(retention))));
    }

    /** What every instance measured in the buckets that ended within the window before {@code now}. */
    public UsageHistory read(Instant now, Duration window) {
        Map<String, UsageTally> tallies = new HashMap<>();
        Map<String, Document> latestByInstance = new HashMap<>();
        Set<String> instances = new LinkedHashSet<>();
        Instant earliest = null;
        Instant latest = null;
        int bucketCount = 0;
        for (Document doc : buckets.find(gt("end", Date.from(now.minus(window)))).sort(new Document("end", 1))) {
            bucketCount++;
            String instance = doc.getString("instance");
            instances.add(instance);
            latestByInstance.put(instance, doc);
            Instant start = doc.getDate("start").toInstant();
            Instant end = doc.getDate("end").toInstant();
            earliest = earliest == null || start.isBefore(earliest) ? start : earliest;
            latest = latest == null || end.isAfter(latest) ? end : latest;
            Document stored = doc.get("tallies", Document.class);
            stored.forEach((key, value) -> tallies.computeIfAbsent(key, k -> new UsageTally())
                    .addAll(UsageTally.fromMap((Document) value)));
        }
        Map<String, Double> expiredUnreadNow = new HashMap<>();
        Map<String, Object> infos = new LinkedHashMap<>();
        latestByInstance.forEach((instance, doc) -> {
            Document gauges = doc.get("expiredUnreadNow", Document.class);
            if (gauges != null) {
                gauges.forEach((key, value) -> expiredUnreadNow.merge(key, ((Number) value).doubleValue(), Double::sum));
            }
            infos.put(instance, doc.get("info"));
        });
        Instant from = earliest == null ? now : earliest.isBefore(now.minus(window)) ? now.minus(window) : earliest;
        double covered = latest == null ? 0 : Math.max(0, Duration.between(from, latest).toMillis() / 1000.0);
        return new UsageHistory(tallies, covered, instances, bucketCount, expiredUnreadNow, infos);
    }

    /**
     * @param tallies          merged over instances and buckets, by {@code entity/strategy}
     * @param coveredSeconds   the time the buckets cover within the window: what rates are per
     * @param expiredUnreadNow each instance's latest count of sampled keys expired unread and not rewritten
     * @param instanceInfo     each instance's latest word on itself: profile, sync counters, sampler (rate, keys, bytes)
     */
    public record UsageHistory(Map<String, UsageTally> tallies, double coveredSeconds, Set<String> instances,
                               int buckets, Map<String, Double> expiredUnreadNow, Map<String, Object> instanceInfo) {}
}
