package dev.mtp.ops;

import dev.mtp.ops.run.Progress;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowEntrySerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * KVShadow as the reconciler last wrote it: its store's compacted changelog topic read from the start to the end
 * as of now, the last record of each key kept (a null record: the key left the shadow). Works whether the
 * reconciler runs or not, and reads exactly the state any instance would restore.
 */
final class ShadowChangelog {

    private ShadowChangelog() {}

    /** The shadow's entries by key, in key order. */
    static Map<String, ShadowEntry> read(Map<String, Object> clientProperties, String topic) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("no changelog topic " + topic + ": has the reconciler (application "
                        + "id " + topic.substring(0, topic.length() - "-kvshadow-changelog".length()) + ") ever run?");
            }
            List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            long total = tps.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
            Map<String, byte[]> latest = new HashMap<>();
            long read = 0;
            try (Progress progress = Progress.start("reading kvshadow", total, "records")) {
                while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                            continue;
                        }
                        if (r.value() == null) {
                            latest.remove(r.key());
                        } else {
                            latest.put(r.key(), r.value());
                        }
                        read++;
                    }
                    progress.stepTo(read);
                    progress.note(latest.size() + " keys");
                }
            }
            Map<String, ShadowEntry> entries = new TreeMap<>();
            latest.forEach((key, bytes) -> entries.put(key, ShadowEntrySerde.decode(bytes)));
            return entries;
        }
    }
}
