package dev.mtp.runtime.consume;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.runtime.ops.Health;
import dev.mtp.runtime.ops.HealthCheck;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Wires {@link ConsumeLoop}s into an app the standard way: config, metrics, dead letters, readiness, shutdown order. */
public final class ConsumeLoops {
    private ConsumeLoops() {}

    /** One loop, the usual case: see {@link #open(AppContext, String, ProvisionedTopics, List, List, ErrorClassifier, ConsumeLoop.Decoding)}. */
    public static ConsumeLoop open(AppContext ctx, String groupId, ProvisionedTopics topics,
                                   List<TopicDescriptor<String, EventEnvelope>> consumed,
                                   BatchWriter writer, ErrorClassifier classifier, ConsumeLoop.Decoding decoding) {
        return open(ctx, groupId, topics, consumed, List.of(writer), classifier, decoding).get(0);
    }

    /**
     * Opens one loop per writer, each with its own consumer of group {@code groupId} (the group spreads the partitions
     * over them, so a loop waiting for its store overlaps another's work) and dead-letter publisher; registers a
     * readiness check per loop that is down while its batch waits for the store; starts consuming once the app is
     * started. The loops are opened after every client, so they are closed first: all stop taking batches before any
     * consumer leaves the group, and no loop is handed a departing one's partitions during shutdown.
     */
    public static List<ConsumeLoop> open(AppContext ctx, String groupId, ProvisionedTopics topics,
                                         List<TopicDescriptor<String, EventEnvelope>> consumed,
                                         List<? extends BatchWriter> writers, ErrorClassifier classifier,
                                         ConsumeLoop.Decoding decoding) {
        List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();
        List<DeadLetterPublisher> publishers = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            String member = member(i, writers.size());
            Map<String, Object> consumerProperties = KafkaClients.consumer(ctx.config(), groupId);
            consumerProperties.put(ConsumerConfig.CLIENT_ID_CONFIG,
                    KafkaClients.clientId(ctx.appName(), "consumer" + member));
            consumerProperties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    ctx.get(CommonConfigKeys.CONSUME_MAX_POLL_RECORDS));
            KafkaConsumer<String, byte[]> consumer = ctx.open("kafka-consumer" + member,
                    new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer()));
            KafkaClients.bindMetrics(ctx, consumer);
            consumers.add(consumer);
            Map<String, Object> producerProperties = KafkaClients.producer(ctx.config());
            producerProperties.put(ProducerConfig.CLIENT_ID_CONFIG,
                    KafkaClients.clientId(ctx.appName(), "dead-letter-producer" + member));
            publishers.add(ctx.open("dead-letter-producer" + member, new DeadLetterPublisher(
                    producerProperties, topics.names().deadLetter().name(), ctx.appName(), Clock.systemUTC())));
        }
        List<ConsumeLoop> loops = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            String member = member(i, writers.size());
            Backoff backoff = new Backoff(ctx.get(CommonConfigKeys.CONSUME_RETRY_INITIAL_MS),
                    ctx.get(CommonConfigKeys.CONSUME_RETRY_MAX_MS));
            ConsumeLoop loop = ctx.open("consume-loop" + member, new ConsumeLoop(ctx.appName() + "-consume" + member,
                    consumers.get(i), consumed, topics.incarnations(), writers.get(i), classifier, publishers.get(i), backoff,
                    ctx.meterRegistry(), ctx::fail, decoding));
            ctx.addHealthCheck(new HealthCheck() {
                @Override public String name() { return "consume-loop" + member; }

                @Override public Health check() {
                    return loop.isRetrying() ? Health.down("waiting for the store; the batch in hand is retried")
                            : Health.up("consuming");
                }
            });
            ctx.afterStart("consume-loop" + member, loop::start);
            loops.add(loop);
        }
        return loops;
    }

    /** "" for a single loop (names as before), else "-1", "-2", ... */
    private static String member(int index, int count) {
        return count == 1 ? "" : "-" + (index + 1);
    }
}
