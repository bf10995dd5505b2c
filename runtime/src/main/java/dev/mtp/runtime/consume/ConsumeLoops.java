package dev.mtp.runtime.consume;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.ops.Health;
import dev.mtp.runtime.ops.HealthCheck;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Wires a {@link ConsumeLoop} into an app the standard way: config, metrics, dead letters, readiness, shutdown order. */
public final class ConsumeLoops {
    private ConsumeLoops() {}

    /**
     * Opens the consumer (group {@code groupId}), the dead-letter publisher and the loop; registers a
     * readiness check that is down while a batch waits for the store; starts consuming once the app is started.
     * The loop is opened last, so it is closed first: it stops before the clients it uses.
     */
    public static ConsumeLoop open(AppContext ctx, String groupId, PersistenceTopics topics,
                                   List<TopicDescriptor<String, EventEnvelope>> consumed,
                                   BatchWriter writer, ErrorClassifier classifier) {
        Map<String, Object> consumerProperties = KafkaClients.consumer(ctx.config(), groupId);
        consumerProperties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ctx.get(CommonConfigKeys.CONSUME_MAX_POLL_RECORDS));
        KafkaConsumer<String, byte[]> consumer = ctx.open("kafka-consumer",
                new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer()));
        KafkaClients.bindMetrics(ctx, consumer);
        DeadLetterPublisher deadLetters = ctx.open("dead-letter-producer", new DeadLetterPublisher(
                KafkaClients.producer(ctx.config()), topics.deadLetter().name(), ctx.appName(), Clock.systemUTC()));
        Backoff backoff = new Backoff(ctx.get(CommonConfigKeys.CONSUME_RETRY_INITIAL_MS),
                ctx.get(CommonConfigKeys.CONSUME_RETRY_MAX_MS));
        ConsumeLoop loop = ctx.open("consume-loop", new ConsumeLoop(ctx.appName() + "-consume", consumer, consumed,
                writer, classifier, deadLetters, backoff, ctx.meterRegistry(), ctx::fail));
        ctx.addHealthCheck(new HealthCheck() {
            @Override public String name() { return "consume-loop"; }

            @Override public Health check() {
                return loop.isRetrying() ? Health.down("waiting for the store; the batch in hand is retried")
                        : Health.up("consuming");
            }
        });
        ctx.afterStart("consume-loop", loop::start);
        return loop;
    }
}
