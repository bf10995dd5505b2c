package dev.mtp.ingest.application;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Random (version 4) UUIDs, the events' ids, as {@link UUID#randomUUID} makes them but from a DRBG of each thread's
 * own: the JDK's one shared generator takes a lock and mixes every call with a SHA-1 digest and reads of
 * {@code /dev/urandom}: 27 of the 64 samples of building an event in a profile of the benchmark.
 */
public final class RandomUuids implements Supplier<UUID> {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(RandomUuids::drbg);

    @Override
    public UUID get() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3F) | 0x80);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xFF);
            low = (low << 8) | (bytes[i + 8] & 0xFF);
        }
        return new UUID(high, low);
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK since 9 has DRBG", e);
        }
    }
}
