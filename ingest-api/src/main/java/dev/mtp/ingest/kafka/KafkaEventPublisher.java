package dev.mtp.ingest.kafka;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.version.Incarnation;
import dev.mtp.ingest.application.EventPublisher;
import dev.mtp.ingest.application.PublishFailedException;
import dev.mtp.ingest.application.Published;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes with an idempotent producer and acks=all, and waits for the acknowledgement: the
 * ingest reports success only for events Kafka has (invariant 1). The wait is bounded by
 * {@code app.publish.timeout-ms}, after which the caller gets an error, never a false success.
 */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final PersistenceTopics topics;
    private final TopicIncarnations incarnations;
    private final Duration timeout;
    private final AtomicLong inFlight = new AtomicLong();

    /** @param incarnations the topics' incarnations, which every acknowledgement's version names */
    public KafkaEventPublisher(Map<String, Object> clientProperties, PersistenceTopics topics,
                               TopicIncarnations incarnations, Duration timeout) {
        this.topics = topics;
        this.incarnations = incarnations;
        this.timeout = timeout;
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Bounded: a send blocked on metadata or retrying must give up before the caller's wait does.
        int timeoutMs = (int) timeout.toMillis();
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, Math.min(timeoutMs, 30_000) + 1));
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public Published publish(EventEnvelope event) {
        try {
            return publishAsync(event).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PublishFailedException p ? p
                    : new PublishFailedException("Kafka did not accept the event: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("Kafka did not acknowledge the event within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for Kafka", e);
        }
    }

    @Override
    public CompletableFuture<Published> publishAsync(EventEnvelope event) {
        TopicDescriptor<String, EventEnvelope> topic = topics.forType(event.type());
        Incarnation incarnation = incarnations.of(topic.name());
        byte[] value = EventJson.encode(event);
        CompletableFuture<Published> result = new CompletableFuture<>();
        inFlight.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic.name(), event.sessionId(), value), (metadata, error) -> {
                inFlight.decrementAndGet();
                if (error == null) {
                    result.complete(new Published(event, metadata.topic(), metadata.partition(), metadata.offset(),
                            value.length, incarnation));
                } else {
                    result.completeExceptionally(failure(error));
                }
            });
        } catch (org.apache.kafka.common.KafkaException e) {
            // send() itself gives up (metadata not available within max.block.ms, producer closed): no callback comes.
            inFlight.decrementAndGet();
            result.completeExceptionally(failure(e));
        }
        return result;
    }

    @Override
    public long backlog() {
        return inFlight.get();
    }

    private PublishFailedException failure(Exception error) {
        if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new PublishFailedException("Kafka did not acknowledge the event within " + timeout.toMillis()
                    + " ms (" + error.getMessage() + ")", error);
        }
        return new PublishFailedException("Kafka did not accept the event: " + error.getMessage(), error);
    }

    /** The producer, for binding its metrics (KafkaClients.bindMetrics); not for sending. */
    public org.apache.kafka.clients.producer.Producer<String, byte[]> producerForMetrics() {
        return producer;
    }

    /** Lets in-flight sends finish, bounded, so nothing acknowledged to a caller is cut off. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
