package dev.mtp.common.topic;

/**
 * A record on another partition than the one its key maps to under the {@link ContractPartitioner}: published by a
 * producer with another partitioner (librdkafka's default is CRC32-based) or an explicit partition. Its offset cannot
 * be compared with the versions its session's other events wrote, so it is dead-lettered, never applied or skipped.
 */
public final class WrongPartitionException extends IllegalArgumentException {
    private final int expectedPartition;
    private final int actualPartition;

    public WrongPartitionException(String topic, int actualPartition, long offset, int expectedPartition,
                                   int partitionCount) {
        super("partition: the record's key maps to partition " + expectedPartition + " of " + topic + " ("
                + partitionCount + " partitions, murmur2 of the key as the Java client's default partitioner), but it is"
                + " on partition " + actualPartition + " at offset " + offset
                + "; publish with a murmur2 partitioner (docs/producers.md)");
        this.expectedPartition = expectedPartition;
        this.actualPartition = actualPartition;
    }

    public int expectedPartition() { return expectedPartition; }
    public int actualPartition() { return actualPartition; }
}
