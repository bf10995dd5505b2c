package dev.mtp.ops.kafka;

import dev.mtp.ops.run.StopSignal;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a range of offsets of some partitions, without joining a group (nothing is committed, no app's group is
 * touched), poll by poll, until each partition reaches its end or the command is asked to stop, which it checks
 * before each record. After each poll it reports the next offset of every partition, so the caller can checkpoint
 * exactly what it has handled.
 */
public final class RangeReader implements AutoCloseable {

    /** What the reader hands over. */
    public interface Handler {
        void record(ConsumerRecord<byte[], byte[]> record) throws Exception;

        /** After each poll's records: per partition, the first offset not handled yet. */
        default void polled(Map<TopicPartition, Long> next) throws Exception {}
    }

    private static final Duration POLL = Duration.ofMillis(500);
    static final int FETCH_MAX_BYTES = 8 * 1024 * 1024;

    private final KafkaConsumer<byte[], byte[]> consumer;

    public RangeReader(Map<String, Object> clientProperties, int maxPollRecords) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // memory stays flat however much is read: at most this much fetched ahead (the default is 50 MiB)
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads {@code [from, to)} of each partition.
     *
     * @return per partition, the first offset not handled (its {@code to} when it was read to the end)
     */
    public Map<TopicPartition, Long> read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
                                          StopSignal stop, Handler handler) throws Exception {
        Map<TopicPartition, Long> next = new HashMap<>(from);
        List<TopicPartition> open = from.keySet().stream().filter(tp -> from.get(tp) < to.get(tp)).toList();
        consumer.assign(open);
        open.forEach(tp -> consumer.seek(tp, from.get(tp)));
        while (!stop.stopRequested() && open.stream().anyMatch(tp -> next.get(tp) < to.get(tp))) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            boolean cut = false;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (stop.stopRequested()) {
                    cut = true; // stop at a record boundary: what was handled is exactly what next says
                    break;
                }
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < to.get(tp)) {
                    handler.record(r);
                }
                next.put(tp, Math.min(to.get(tp), r.offset() + 1));
            }
            if (!cut) {
                // past what the poll returned: transaction markers and compacted offsets hold no record
                for (TopicPartition tp : open) {
                    next.put(tp, Math.min(to.get(tp), Math.max(next.get(tp), consumer.position(tp))));
                }
            }
            // a partition read to its end stops fetching, so the others get the polls
            consumer.pause(open.stream().filter(tp -> next.get(tp) >= to.get(tp)).toList());
            handler.polled(Map.copyOf(next));
        }
        return next;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
