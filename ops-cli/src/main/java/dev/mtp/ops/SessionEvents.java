package dev.mtp.ops;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.TopicDescriptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds one session's events on a topic: reads only the partition its key hashes to (the default
 * partitioner's murmur2 rule), from the start to the end as of now, without joining any group.
 */
final class SessionEvents {
    private SessionEvents() {}

    record Found(String topic, int partition, long offset, EventEnvelope event) {}

    static List<Found> find(Map<String, Object> clientProperties, TopicDescriptor<String, EventEnvelope> topic,
                            String sessionId) {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).size();
            int partition = Utils.toPositive(Utils.murmur2(sessionId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    % partitions;
            TopicPartition tp = new TopicPartition(topic.name(), partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<Found> found = new ArrayList<>();
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (sessionId.equals(record.key())) {
                        EventEnvelope event = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
                        found.add(new Found(record.topic(), record.partition(), record.offset(), event));
                    }
                }
            }
            return found;
        }
    }
}
