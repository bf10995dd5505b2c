package dev.mtp.reconciler.topology;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the "to check" store: the due time (epoch ms, 8 bytes big-endian) then the cache key (UTF-8), so the store's
 * byte order is due order and one range scan from the start to now yields exactly the checks that are due.
 */
final class DueIndex {

    /** Byte order of the due time; no UTF-8 byte is 0xFF, so [now, 0xFF] bounds every key due at now. */
    private static final byte AFTER_ANY_KEY = (byte) 0xFF;

    private DueIndex() {}

    static Bytes key(long dueMs, String cacheKey) {
        byte[] k = cacheKey.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + k.length).putLong(dueMs).put(k).array());
    }

    static Bytes first() {
        return Bytes.wrap(new byte[8]);
    }

    /** The greatest index key due at {@code nowMs}. */
    static Bytes lastDueAt(long nowMs) {
        return Bytes.wrap(ByteBuffer.allocate(9).putLong(nowMs).put(AFTER_ANY_KEY).array());
    }

    static long due(Bytes indexKey) {
        return ByteBuffer.wrap(indexKey.get()).getLong();
    }

    static String cacheKey(Bytes indexKey) {
        byte[] b = indexKey.get();
        return new String(b, 8, b.length - 8, StandardCharsets.UTF_8);
    }
}
