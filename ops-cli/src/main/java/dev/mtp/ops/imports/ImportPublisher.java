package dev.mtp.ops.imports;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.PersistenceTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes imported events as the ingest does (keyed by session id, the contract's partitioner, an idempotent
 * producer with acks=all), without waiting for each: {@link #flush()} waits for all and fails if any failed. Each
 * record carries its event id in the header {@value #EVENT_ID_HEADER}, so a later run finds what an import published
 * by reading headers, without decoding events.
 */
public final class ImportPublisher implements AutoCloseable {

    public static final String EVENT_ID_HEADER = "mtp.import.event-id";

    private final KafkaProducer<String, byte[]> producer;
    private final PersistenceTopics topics;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param producerProperties a producer's client properties with acks=all and idempotence on */
    public ImportPublisher(Map<String, Object> producerProperties, PersistenceTopics topics) {
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    public void send(EventEnvelope event) {
        failIfFailed();
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID_HEADER, event.eventId().toString().getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topics.forType(event.type()).name(), null, event.sessionId(),
                EventCodec.encode(event), headers), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    /** Waits until everything sent was acknowledged; throws if anything was not. */
    public void flush() {
        producer.flush();
        failIfFailed();
    }

    private void failIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka did not accept an imported event (" + error.getMessage()
                    + "): run the import again, it resumes from its checkpoint", error);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
