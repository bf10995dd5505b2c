package dev.mtp.chaos.io;

import com.mongodb.client.MongoDatabase;
import dev.mtp.chaos.check.CacheEntry;
import dev.mtp.chaos.check.StoreSnapshot;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads the stores as they are now: three MongoDB collections whole, and every key under the cache prefix. */
public final class StoreReader {

    private StoreReader() {}

    public static StoreSnapshot read(MongoDatabase db, StatefulRedisConnection<byte[], byte[]> redis, String prefix) {
        long readAt = System.currentTimeMillis();
        List<CacheEntry> cache = cache(redis, prefix);
        return new StoreSnapshot(collection(db, "sessions"), collection(db, "interactions"),
                collection(db, "evaluations"), cache, readAt);
    }

    private static Map<String, Map<String, Object>> collection(MongoDatabase db, String name) {
        Map<String, Map<String, Object>> docs = new HashMap<>();
        for (Document d : db.getCollection(name).find()) {
            docs.put(String.valueOf(d.get("_id")), d);
        }
        return docs;
    }

    /** SCAN, then GET and PEXPIRETIME of each key pipelined; a key gone between the two is left out. */
    private static List<CacheEntry> cache(StatefulRedisConnection<byte[], byte[]> redis, String prefix) {
        RedisCommands<byte[], byte[]> sync = redis.sync();
        List<byte[]> keys = new ArrayList<>();
        ScanArgs match = ScanArgs.Builder.matches(prefix + "{*").limit(1000);
        KeyScanCursor<byte[]> cursor = sync.scan(match);
        while (true) {
            keys.addAll(cursor.getKeys());
            if (cursor.isFinished()) {
                break;
            }
            cursor = sync.scan(ScanCursor.of(cursor.getCursor()), match);
        }
        RedisAsyncCommands<byte[], byte[]> async = redis.async();
        List<CacheEntry> entries = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 500) {
            List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
            List<RedisFuture<byte[]>> values = new ArrayList<>();
            List<RedisFuture<Long>> expiries = new ArrayList<>();
            for (byte[] key : chunk) {
                values.add(async.get(key));
                expiries.add(async.pexpiretime(key));
            }
            for (int i = 0; i < chunk.size(); i++) {
                byte[] value = await(values.get(i));
                long expireAt = await(expiries.get(i));
                if (value != null) {
                    entries.add(new CacheEntry(new String(chunk.get(i), StandardCharsets.UTF_8), value, expireAt));
                }
            }
        }
        return entries;
    }

    private static <T> T await(RedisFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis did not answer a read: " + e.getMessage(), e);
        }
    }
}
