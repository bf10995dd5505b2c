package dev.mtp.common.projection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The distinct interaction ids of a session, kept as sorted 64-bit FNV-1a digests (8 bytes per interaction), so
 * the interaction count is the number of distinct ids (docs/decisions/0001: counts come from distinct entity ids,
 * never from blind increments) without keeping the ids themselves. Two ids of one session colliding is
 * a 1 in 2^64 chance per pair; the count would then be one low. Immutable.
 */
public final class InteractionIdSet {

    public static final InteractionIdSet EMPTY = new InteractionIdSet(new long[0]);

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long[] sorted;

    private InteractionIdSet(long[] sorted) {
        this.sorted = sorted;
    }

    /** A set from digests in any order, duplicates dropped. */
    public static InteractionIdSet ofDigests(long[] digests) {
        long[] copy = Arrays.stream(digests).sorted().distinct().toArray();
        return copy.length == 0 ? EMPTY : new InteractionIdSet(copy);
    }

    /**
     * A set from digests already in ascending order without duplicates, as {@link #digests()} gives them: a stored
     * set read back without sorting it again. The array is kept, not copied.
     *
     * @throws IllegalArgumentException when the digests are not strictly ascending
     */
    public static InteractionIdSet ofSortedDigests(long[] sorted) {
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i - 1] >= sorted[i]) {
                throw new IllegalArgumentException("interaction digests are not strictly ascending at index " + i);
            }
        }
        return sorted.length == 0 ? EMPTY : new InteractionIdSet(sorted);
    }

    /** FNV-1a 64 of the id's UTF-8 bytes: stable across JVMs and languages. */
    public static long digest(String interactionId) {
        long hash = FNV_OFFSET;
        for (byte b : interactionId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= FNV_PRIME;
        }
        return hash;
    }

    public boolean contains(String interactionId) {
        return Arrays.binarySearch(sorted, digest(interactionId)) >= 0;
    }

    /** This set with the id added; this same set when it is already in. */
    public InteractionIdSet with(String interactionId) {
        long d = digest(interactionId);
        int at = Arrays.binarySearch(sorted, d);
        if (at >= 0) {
            return this;
        }
        int insert = -at - 1;
        long[] more = new long[sorted.length + 1];
        System.arraycopy(sorted, 0, more, 0, insert);
        more[insert] = d;
        System.arraycopy(sorted, insert, more, insert + 1, sorted.length - insert);
        return new InteractionIdSet(more);
    }

    public int size() {
        return sorted.length;
    }

    /** The digests in ascending order (a copy). */
    public long[] digests() {
        return sorted.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InteractionIdSet other && Arrays.equals(sorted, other.sorted);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sorted);
    }

    @Override
    public String toString() {
        return "InteractionIdSet[" + sorted.length + "]";
    }
}
