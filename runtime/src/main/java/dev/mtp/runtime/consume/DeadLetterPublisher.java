package dev.mtp.runtime.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Sends records a writer could not apply to the dead-letter topic: the original key, value and
 * headers, plus headers saying why and where from (design.md section 3). Sends are acknowledged
 * before the loop commits the source offsets, so a dead-lettered record is never lost either.
 * A record that fitted its topic may not fit once the reason headers are added: its letter then goes
 * without the value, saying so ({@link #VALUE_DROPPED}, the value's size); the source coordinates still
 * point at the original. Else one large poison record would stop the writer for good.
 */
public final class DeadLetterPublisher implements AutoCloseable {
    public static final String ERROR_CLASS = "mtp.dlq.error.class";
    public static final String ERROR_MESSAGE = "mtp.dlq.error.message";
    public static final String SOURCE_TOPIC = "mtp.dlq.source.topic";
    public static final String SOURCE_PARTITION = "mtp.dlq.source.partition";
    public static final String SOURCE_OFFSET = "mtp.dlq.source.offset";
    public static final String APP = "mtp.dlq.app";
    public static final String FAILED_AT = "mtp.dlq.failed.at";
    /** Set, to the value's size in bytes, on a letter sent without the value because the whole was too large. */
    public static final String VALUE_DROPPED = "mtp.dlq.value.dropped.bytes";

    private static final int MAX_MESSAGE_CHARS = 2_000;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String appName;
    private final Clock clock;
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(ProducerRecord<byte[], byte[]> letter, Future<RecordMetadata> ack) {}

    public DeadLetterPublisher(Map<String, Object> producerProperties, String topic, String appName, Clock clock) {
        this(new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer()), topic, appName,
                clock);
    }

    DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, String appName, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.appName = appName;
        this.clock = clock;
    }

    /** Queues a dead letter; {@link #flush()} waits for all queued ones. */
    public void send(ConsumerRecord<byte[], byte[]> source, Throwable error) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, source.key(), source.value(),
                new RecordHeaders(source.headers().toArray()));
        addReason(letter.headers(), error, source.topic(), source.partition(), source.offset(), appName, clock.instant());
        pending.add(new Pending(letter, producer.send(letter)));
    }

    /**
     * Adds to a letter's headers (the source record's own, copied) why and where from: the headers every dead letter
     * carries, whoever sends it (the reconciler's topology sends its own).
     */
    public static void addReason(Headers headers, Throwable error, String sourceTopic, int sourcePartition,
                                 long sourceOffset, String appName, Instant failedAt) {
        put(headers, ERROR_CLASS, error.getClass().getName());
        String message = String.valueOf(error.getMessage());
        put(headers, ERROR_MESSAGE, message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message);
        put(headers, SOURCE_TOPIC, sourceTopic);
        put(headers, SOURCE_PARTITION, Integer.toString(sourcePartition));
        put(headers, SOURCE_OFFSET, Long.toString(sourceOffset));
        put(headers, APP, appName);
        put(headers, FAILED_AT, failedAt.toString());
    }

    /** Waits until every queued dead letter is acknowledged. */
    public void flush() throws InterruptedException, ExecutionException {
        producer.flush();
        try {
            for (Pending p : pending) {
                try {
                    p.ack().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RecordTooLargeException) || p.letter().value() == null) {
                        throw e;
                    }
                    producer.send(withoutValue(p.letter())).get();
                }
            }
        } finally {
            pending.clear();
        }
    }

    private static ProducerRecord<byte[], byte[]> withoutValue(ProducerRecord<byte[], byte[]> letter) {
        ProducerRecord<byte[], byte[]> stripped = new ProducerRecord<>(letter.topic(), null, letter.key(), null,
                new RecordHeaders(letter.headers().toArray()));
        put(stripped.headers(), VALUE_DROPPED, Integer.toString(letter.value().length));
        return stripped;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
