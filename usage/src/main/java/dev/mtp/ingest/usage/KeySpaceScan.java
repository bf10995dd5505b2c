package dev.mtp.ingest.usage;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.usage.CachingLevel;
import dev.mtp.common.usage.Histogram;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Measures the cache's key space with a bounded SCAN over the key prefix: at most {@code maxKeys} keys are read
 * (their strategy from the value header, their absolute expiry), and {@code MEMORY USAGE} is asked of at most
 * {@code memorySamples} of them. Counts are scaled by DBSIZE when the scan stops early (the prefix's share of the
 * database taken as the scanned share). Session and interaction keys only; latest-response and index keys are the
 * interactions' bookkeeping.
 */
public final class KeySpaceScan {
    private final RedisCommands<String, String> redis;
    private final CacheStore cache;
    private final Clock clock;
    private final int maxKeys;
    private final int memorySamples;

    public KeySpaceScan(RedisCommands<String, String> redis, CacheStore cache, Clock clock, int maxKeys, int memorySamples) {
        this.redis = redis;
        this.cache = cache;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.memorySamples = memorySamples;
    }

    public KeySpace scan() throws Exception {
        CacheKeys layout = cache.keys();
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        long visited = 0;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(layout.prefix() + "*").limit(500));
            visited += page.getKeys().size();
            for (String key : page.getKeys()) {
                Optional<CacheKeys.Parsed> parsed = layout.parse(key);
                if (parsed.isPresent() && (parsed.get().kind() == CacheKeys.Kind.SESSION
                        || parsed.get().kind() == CacheKeys.Kind.INTERACTION) && keys.size() < maxKeys) {
                    keys.add(key);
                }
            }
            cursor = page;
        } while (!cursor.isFinished() && keys.size() < maxKeys);
        boolean complete = cursor.isFinished();
        double scale = 1;
        if (!complete && visited > 0) {
            scale = Math.max(1, (double) redis.dbsize() / visited);
        }
        List<StoredKey> stored = cache.inspect(keys).get(30, TimeUnit.SECONDS);
        long now = clock.millis();
        Map<String, long[]> seen = new HashMap<>();
        Map<String, double[]> memory = new HashMap<>();
        Map<String, Histogram> ttls = new HashMap<>();
        int sampled = 0;
        for (StoredKey key : stored) {
            Optional<ValueCodec.Header> header = key.header();
            if (!key.exists() || key.isTombstone() || header.isEmpty()) {
                continue;
            }
            EntityType entity = layout.parse(key.key()).orElseThrow().kind() == CacheKeys.Kind.SESSION
                    ? EntityType.SESSION : EntityType.INTERACTION;
            String name = TallyKeys.key(entity, CachingLevel.values()[header.get().strategyOrdinal()].strategy(entity).name());
            seen.computeIfAbsent(name, k -> new long[1])[0]++;
            if (key.expireAtMs() > 0) {
                ttls.computeIfAbsent(name, k -> new Histogram(Histogram.Scale.REUSE_SECONDS))
                        .add(Math.max(0, key.expireAtMs() - now) / 1000.0, scale);
            }
            if (sampled < memorySamples) {
                Long bytes = redis.memoryUsage(key.key());
                if (bytes != null) {
                    double[] sum = memory.computeIfAbsent(name, k -> new double[2]);
                    sum[0] += bytes;
                    sum[1]++;
                    sampled++;
                }
            }
        }
        Map<String, KeySpace.Keys> out = new HashMap<>();
        for (Map.Entry<String, long[]> entry : seen.entrySet()) {
            double[] sum = memory.getOrDefault(entry.getKey(), new double[2]);
            out.put(entry.getKey(), new KeySpace.Keys(entry.getValue()[0], entry.getValue()[0] * scale, (int) sum[1],
                    sum[1] == 0 ? Double.NaN : sum[0] / sum[1],
                    ttls.getOrDefault(entry.getKey(), new Histogram(Histogram.Scale.REUSE_SECONDS))));
        }
        return new KeySpace(out, keys.size(), complete, complete ? "every key of the prefix"
                : "first " + keys.size() + " keys of the prefix, scaled by DBSIZE");
    }
}
