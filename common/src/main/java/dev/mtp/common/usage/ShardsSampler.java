package dev.mtp.common.usage;

import java.util.Arrays;

/**
 * Spatially hashed key sampling (SHARDS, Waldspurger et al., FAST '15), fixed size: a key is sampled when
 * {@code hash(key) mod P < T}, so every access of a sampled key is seen and none of the others, and each event of a
 * sampled key stands for {@code 1/rate} events ({@code rate = T/P}). When more than {@code maxKeys} keys are
 * sampled, T is lowered until a quarter of them drop out (the ones with the highest hash values), so the rate adapts
 * to the key space and memory does not grow with it.
 *
 * <p>Per sampled key it keeps its hash, its last write (epoch ms) and one byte (its strategy code and whether it was
 * read since that write), in open-addressed arrays of a capacity that is the power of two at least {@code 2 * maxKeys}
 * (17 bytes a slot). <b>Memory bound</b> ({@link #memoryBound(int)}): twice the arrays plus {@code 8 * (maxKeys + 1)}
 * bytes while a shrink rebuilds them, plus object headers: 608 KiB for 8,192 keys, whatever the key space.
 * Thread-safe; the unsampled path reads one volatile.
 */
public final class ShardsSampler {
    /** The modulus: hash values are taken in [0, 2^24). */
    public static final long P = 1L << 24;
    public static final long NOT_SAMPLED = Long.MIN_VALUE;
    public static final long NO_WRITE_SEEN = -1;
    private static final byte READ_FLAG = (byte) 0x80;

    private final int maxKeys;
    private volatile long threshold;
    private long[] hashes;
    private long[] lastWrite;
    private byte[] meta;
    private int size;

    /** What a write found: the previous write of the key (or {@link #NO_WRITE_SEEN}) and whether it was read since. */
    public record PreviousWrite(long writeMs, int strategyCode, boolean read) {}

    public ShardsSampler(double rate, int maxKeys) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1], not " + rate);
        }
        if (maxKeys < 16) {
            throw new IllegalArgumentException("maxKeys must be at least 16, not " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.threshold = Math.max(1, Math.round(rate * P));
        int capacity = capacity(maxKeys);
        this.hashes = new long[capacity];
        this.lastWrite = new long[capacity];
        this.meta = new byte[capacity];
    }

    public static long memoryBound(int maxKeys) {
        return 2 * 17L * capacity(maxKeys) + 8L * (maxKeys + 1);
    }

    private static int capacity(int maxKeys) {
        return Integer.highestOneBit(maxKeys * 2 - 1) << 1;
    }

    public boolean sampled(long hash) {
        return (hash & (P - 1)) < threshold;
    }

    /** The current sampling rate T/P: the weight of a sampled event is its inverse. */
    public double rate() {
        return (double) threshold / P;
    }

    public synchronized int size() {
        return size;
    }

    /** Bytes the arrays hold now (17 a slot): what {@link #memoryBound(int)} bounds. */
    public synchronized long stateBytes() {
        return 17L * hashes.length;
    }

    /** Records a write of a sampled key; null when the key is not sampled (without taking the lock). */
    public PreviousWrite write(long hash, long nowMs, int strategyCode) {
        return sampled(hash) ? writeSampled(hash, nowMs, strategyCode) : null;
    }

    private synchronized PreviousWrite writeSampled(long hash, long nowMs, int strategyCode) {
        if (!sampled(hash)) {
            return null; // T was lowered since the check
        }
        int slot = find(hash);
        PreviousWrite previous;
        if (hashes[slot] == stored(hash)) {
            previous = new PreviousWrite(lastWrite[slot], meta[slot] & 0x7f, (meta[slot] & READ_FLAG) != 0);
        } else {
            previous = new PreviousWrite(NO_WRITE_SEEN, -1, false);
            hashes[slot] = stored(hash);
            size++;
        }
        lastWrite[slot] = nowMs;
        meta[slot] = (byte) (strategyCode & 0x7f);
        if (size > maxKeys) {
            shrink();
        }
        return previous;
    }

    /**
     * Records a read: the key's last write (epoch ms), {@link #NO_WRITE_SEEN} for a sampled key whose write was not
     * seen, or {@link #NOT_SAMPLED} (without taking the lock).
     */
    public long read(long hash) {
        return sampled(hash) ? readSampled(hash) : NOT_SAMPLED;
    }

    private synchronized long readSampled(long hash) {
        if (!sampled(hash)) {
            return NOT_SAMPLED; // T was lowered since the check
        }
        int slot = find(hash);
        if (hashes[slot] != stored(hash)) {
            return NO_WRITE_SEEN;
        }
        meta[slot] |= READ_FLAG;
        return lastWrite[slot];
    }

    /** Visits every sampled key's last write that was never read: the owner counts those whose TTL ran out. */
    public synchronized void forEachUnread(UnreadVisitor visitor) {
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] != 0 && (meta[i] & READ_FLAG) == 0) {
                visitor.visit(lastWrite[i], meta[i] & 0x7f);
            }
        }
    }

    @FunctionalInterface
    public interface UnreadVisitor {
        void visit(long writeMs, int strategyCode);
    }

    /** Zero marks an empty slot, so a stored hash is never zero. */
    private static long stored(long hash) {
        return hash == 0 ? 1 : hash;
    }

    private int find(long hash) {
        long key = stored(hash);
        int mask = hashes.length - 1;
        int slot = (int) (key ^ (key >>> 32)) & mask;
        while (hashes[slot] != 0 && hashes[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Lowers T so that three quarters of maxKeys stay, then rebuilds the table without the others. */
    private void shrink() {
        long[] values = new long[size];
        int n = 0;
        for (long h : hashes) {
            if (h != 0) {
                values[n++] = h & (P - 1);
            }
        }
        Arrays.sort(values);
        threshold = values[maxKeys * 3 / 4];
        long[] oldHashes = hashes;
        long[] oldWrites = lastWrite;
        byte[] oldMeta = meta;
        hashes = new long[oldHashes.length];
        lastWrite = new long[oldHashes.length];
        meta = new byte[oldHashes.length];
        size = 0;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0 && (oldHashes[i] & (P - 1)) < threshold) {
                int slot = find(oldHashes[i]);
                hashes[slot] = oldHashes[i];
                lastWrite[slot] = oldWrites[i];
                meta[slot] = oldMeta[i];
                size++;
            }
        }
    }
}
