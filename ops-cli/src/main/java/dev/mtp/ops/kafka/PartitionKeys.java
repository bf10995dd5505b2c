package dev.mtp.ops.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;

/** Offsets by {@code topic/partition}, the form checkpoints keep them in (JSON object keys are text). */
public final class PartitionKeys {
    private PartitionKeys() {}

    public static String key(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }

    public static Map<String, Long> keyed(Map<TopicPartition, Long> offsets) {
        Map<String, Long> byKey = new HashMap<>();
        offsets.forEach((tp, offset) -> byKey.put(key(tp), offset));
        return byKey;
    }

    public static Map<TopicPartition, Long> partitions(Map<String, Long> offsets) {
        Map<TopicPartition, Long> byPartition = new HashMap<>();
        offsets.forEach((key, offset) -> {
            int slash = key.lastIndexOf('/');
            byPartition.put(new TopicPartition(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1))),
                    offset);
        });
        return byPartition;
    }
}
