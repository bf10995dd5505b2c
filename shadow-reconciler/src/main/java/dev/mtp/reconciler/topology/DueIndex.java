package dev.mtp.reconciler.topology;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the "to check" store: the due time (epoch ms, 8 bytes big-endian) then the cache key (UTF-8), so the store's
 * byte order is due order: one scan from the start yields the checks that are due, then the first one that is not.
 */
final class DueIndex {

    private DueIndex() {}

    static Bytes key(long dueMs, String cacheKey) {
        byte[] k = cacheKey.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + k.length).putLong(dueMs).put(k).array());
    }

    static Bytes first() {
        return Bytes.wrap(new byte[8]);
    }

    static long due(Bytes indexKey) {
        return ByteBuffer.wrap(indexKey.get()).getLong();
    }

    static String cacheKey(Bytes indexKey) {
        byte[] b = indexKey.get();
        return new String(b, 8, b.length - 8, StandardCharsets.UTF_8);
    }
}
