package dev.mtp.common.topic;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * The contract's partitioner (design.md section 3): a record keyed by session id goes to
 * {@code toPositive(murmur2(UTF-8 bytes of the key)) % partition count}, the rule of the Java client's default
 * partitioner for keyed records. Every consumer app refuses a record found elsewhere ({@link #check}): versions are
 * offsets (docs/decisions/0001), and offsets of two partitions are not comparable. How other clients match it:
 * docs/producers.md.
 */
public final class ContractPartitioner {
    private ContractPartitioner() {}

    /** The partition of {@code key} on a topic of {@code partitionCount} partitions. */
    public static int partitionOf(String key, int partitionCount) {
        if (key == null) {
            throw new IllegalArgumentException("key: a record without a key has no partition under the contract");
        }
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount: must be at least 1, was " + partitionCount);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    /**
     * Passes a record found where its key maps to; else throws {@link WrongPartitionException} naming the expected
     * and the actual partition.
     */
    public static void check(String topic, int partition, long offset, String key, int partitionCount) {
        int expected = partitionOf(key, partitionCount);
        if (expected != partition) {
            throw new WrongPartitionException(topic, partition, offset, expected, partitionCount);
        }
    }
}
