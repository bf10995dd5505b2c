package dev.mtp.ops.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The admin calls the ops commands make, each waited for up to one timeout and failing with a line that says which
 * call Kafka did not answer. Missing topics and groups are absent from the answers, not errors.
 */
public final class AdminReader {

    private final Admin admin;
    private final Duration timeout;

    public AdminReader(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public Admin admin() {
        return admin;
    }

    /** The topics that exist, by name. */
    public Map<String, TopicDescription> describeTopics(Collection<String> names) {
        Map<String, TopicDescription> found = new TreeMap<>();
        admin.describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                found.put(name, get(future, "describing topic " + name));
            } catch (KafkaCallException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        });
        return found;
    }

    /** Every partition of the topics that exist. */
    public List<TopicPartition> partitions(Collection<String> topics) {
        return describeTopics(topics).values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .sorted(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
    }

    /** The topics' configs (every entry, defaults included), by topic name. */
    public Map<String, Config> topicConfigs(Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), "describing topic configs");
        Map<String, Config> byName = new TreeMap<>();
        configs.forEach((r, c) -> byName.put(r.name(), c));
        return byName;
    }

    public Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.earliest(), "earliest");
    }

    public Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.latest(), "latest");
    }

    /**
     * Per partition, the first offset whose record's timestamp is at or after {@code time}; the end offset where no
     * record is that late.
     */
    public Map<TopicPartition, Long> at(Collection<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> at = offsets(partitions, OffsetSpec.forTimestamp(time.toEpochMilli()),
                "at " + time);
        Map<TopicPartition, Long> end = null;
        for (Map.Entry<TopicPartition, Long> e : at.entrySet()) {
            if (e.getValue() < 0) {
                end = end == null ? latest(partitions) : end;
                e.setValue(end.get(e.getKey()));
            }
        }
        return at;
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec, String what) {
        if (partitions.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
                get(admin.listOffsets(request).all(), "listing " + what + " offsets");
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** Every consumer group's id. */
    public List<String> groups() {
        return get(admin.listConsumerGroups().all(), "listing consumer groups").stream()
                .map(ConsumerGroupListing::groupId).sorted().toList();
    }

    /** The group's committed offsets, empty for a group that does not exist. */
    public Map<TopicPartition, Long> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                    "listing the offsets of group " + group);
        } catch (KafkaCallException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new HashMap<>();
            }
            throw e;
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                committed.put(tp, o.offset());
            }
        });
        return committed;
    }

    /** The group's state and members; empty for a group Kafka does not know (it never committed). */
    public java.util.Optional<ConsumerGroupDescription> describeGroup(String group) {
        try {
            ConsumerGroupDescription d = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group),
                    "describing group " + group);
            return d.groupState() == org.apache.kafka.common.GroupState.DEAD ? java.util.Optional.empty()
                    : java.util.Optional.of(d);
        } catch (KafkaCallException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    public <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaCallException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaCallException("Kafka refused " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KafkaCallException("Kafka did not answer within " + timeout.toMillis() + " ms (" + what + ")", e);
        }
    }

    /** An admin call that failed; the message says which. */
    public static final class KafkaCallException extends RuntimeException {
        KafkaCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
