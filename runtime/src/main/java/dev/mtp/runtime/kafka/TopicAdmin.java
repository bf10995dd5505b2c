package dev.mtp.runtime.kafka;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** The three admin calls the provisioner needs; {@link AdminTopicAdmin} makes them on a real {@code Admin}. */
interface TopicAdmin {

    /** Partition counts of the named topics that exist; missing topics are absent from the map. */
    Map<String, Integer> partitionCounts(Collection<String> topics, Duration timeout) throws Exception;

    /** Creates the topics; returns the failure of each topic that was not created ({@code TopicExistsException} too). */
    Map<String, Throwable> create(Collection<TopicSpec> topics, Duration timeout) throws Exception;

    /** Asks each partition for its latest offset; returns the failure of each partition that did not answer. */
    Map<TopicPartition, Throwable> latestOffsets(Collection<TopicPartition> partitions, Duration timeout) throws Exception;
}
