package dev.mtp.chaos.run;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The consumer groups reading the persistence topics, found by what they commit (the run does not need to know the
 * apps' group names): their committed offsets against the topics' end offsets.
 */
final class Lag {

    private final Admin admin;
    private final int partitions;

    Lag(Admin admin, int partitions) {
        this.admin = admin;
        this.partitions = partitions;
    }

    /** End offsets of every partition of the three topics now. */
    Map<TopicPartition, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        for (String role : List.of("sessions", "interactions", "evaluations")) {
            for (int p = 0; p < partitions; p++) {
                spec.put(new TopicPartition(Stack.TOPIC_PREFIX + role + ".v1", p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(spec).all().get(10, TimeUnit.SECONDS).entrySet()) {
            end.put(e.getKey(), e.getValue().offset());
        }
        return end;
    }

    /**
     * Per group that commits offsets on the topics: the records between its commits and {@code end}, over the topics it
     * reads (cache-writer and the reconciler read no evaluations).
     */
    Map<String, Long> behind(Map<TopicPartition, Long> end) throws Exception {
        Map<String, Long> lag = new HashMap<>();
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            if (committed.keySet().stream().noneMatch(end::containsKey)) {
                continue;
            }
            java.util.Set<String> read = new java.util.HashSet<>();
            committed.keySet().forEach(tp -> read.add(tp.topic()));
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (!read.contains(e.getKey().topic())) {
                    continue;
                }
                OffsetAndMetadata c = committed.get(e.getKey());
                behind += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
            }
            lag.put(group.groupId(), behind);
        }
        return lag;
    }
}
