package dev.mtp.reconciler.shadow;

import java.util.zip.CRC32C;

/**
 * A cheap 64-bit hash of a value's exact bytes (CRC32C and length): the desired value encoded with cache-store's
 * codec and the same settings as cache-writer is byte for byte what cache-writer writes, so a check compares hashes
 * and decodes nothing. Bytes that differ (another compression setting, another writer) are compared by content
 * ({@link ValueFingerprint}) before anything counts as drift.
 */
public final class ValueHash {

    private ValueHash() {}

    public static long of(byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(value);
        return crc.getValue() << 32 | (value.length & 0xffffffffL);
    }
}
