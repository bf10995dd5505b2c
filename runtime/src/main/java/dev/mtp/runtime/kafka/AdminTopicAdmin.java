package dev.mtp.runtime.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link TopicAdmin} on a real Kafka {@link Admin} client. */
final class AdminTopicAdmin implements TopicAdmin {

    private final Admin admin;

    AdminTopicAdmin(Admin admin) {
        this.admin = admin;
    }

    @Override
    public Map<String, Integer> partitionCounts(Collection<String> topics, Duration timeout) throws Exception {
        int ms = ms(timeout);
        Map<String, KafkaFuture<TopicDescription>> futures =
                admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(ms)).topicNameValues();
        Map<String, Integer> counts = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : futures.entrySet()) {
            try {
                counts.put(e.getKey(), e.getValue().get(ms, TimeUnit.MILLISECONDS).partitions().size());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw ex;
                }
            }
        }
        return counts;
    }

    @Override
    public Map<String, Throwable> create(Collection<TopicSpec> topics, Duration timeout) throws Exception {
        int ms = ms(timeout);
        Map<String, KafkaFuture<Void>> futures = admin.createTopics(
                topics.stream().map(t -> new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.configs()))
                        .toList(),
                new CreateTopicsOptions().timeoutMs(ms)).values();
        Map<String, Throwable> failures = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<Void>> e : futures.entrySet()) {
            try {
                e.getValue().get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException ex) {
                failures.put(e.getKey(), ex.getCause());
            }
        }
        return failures;
    }

    @Override
    public Map<TopicPartition, Throwable> latestOffsets(Collection<TopicPartition> partitions, Duration timeout)
            throws Exception {
        int ms = ms(timeout);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(ms));
        Map<TopicPartition, Throwable> failures = new HashMap<>();
        for (TopicPartition tp : partitions) {
            try {
                result.partitionResult(tp).get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException ex) {
                failures.put(tp, ex.getCause());
            } catch (java.util.concurrent.TimeoutException ex) {
                failures.put(tp, ex);
            }
        }
        return failures;
    }

    private static int ms(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
