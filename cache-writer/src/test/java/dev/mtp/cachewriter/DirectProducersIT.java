package dev.mtp.cachewriter;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.WrongPartitionException;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.KafkajsProducer;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Producers that publish straight to Kafka from another language (docs/producers.md): kafkajs on Node.js. */
@RealServers
class DirectProducersIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @Test
    void eventsFromKafkajsWithItsDefaultPartitionerAreCached(TestNamespace ns) throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            RunningApp app = pipeline.startApp();

            List<Pipeline.Produced> sent = pipeline.produceWithKafkajs(KafkajsProducer.Partitioner.DEFAULT,
                    sessionsWithAnInteraction(8));

            assertThat(sent).allMatch(Pipeline::whereTheContractPutsIt);
            pipeline.awaitConverged(CONVERGE);
            pipeline.awaitCommitted(CONVERGE);
            assertThat(wrongPartition(app)).isZero();
        }
    }

    /** kafkajs's LegacyPartitioner (its default before 2.0) is not murmur2 as Java's: most keys land elsewhere. */
    @Test
    void eventsFromKafkajsWithAnotherPartitionerAreDeadLetteredWhereTheyAreMisplacedAndNeverCached(TestNamespace ns)
            throws Exception {
        try (Pipeline pipeline = new Pipeline(ns)) {
            RunningApp app = pipeline.startApp();

            List<Pipeline.Produced> sent = pipeline.produceWithKafkajs(KafkajsProducer.Partitioner.LEGACY,
                    sessionsWithAnInteraction(8));

            List<Pipeline.Produced> misplaced = sent.stream().filter(p -> !Pipeline.whereTheContractPutsIt(p)).toList();
            assertThat(misplaced).as("events the legacy partitioner put elsewhere").isNotEmpty();
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(ns, pipeline, misplaced.size());
            assertThat(letters).hasSize(misplaced.size());
            for (Pipeline.Produced p : misplaced) {
                String topic = pipeline.topics.forType(p.event().type()).name();
                int expected = ContractPartitioner.partitionOf(p.event().sessionId(), Pipeline.PARTITIONS);
                assertThat(letters).as("letter of %s", p).anySatisfy(letter -> {
                    assertThat(header(letter, DeadLetterPublisher.ERROR_CLASS))
                            .isEqualTo(WrongPartitionException.class.getName());
                    assertThat(header(letter, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo(topic);
                    assertThat(header(letter, DeadLetterPublisher.ERROR_MESSAGE)).contains(
                            "maps to partition " + expected + " of " + topic,
                            "but it is on partition " + p.partition() + " at offset " + p.offset());
                });
            }
            pipeline.awaitCommitted(CONVERGE);
            pipeline.assertConverged(); // the events where the contract puts them
            for (Pipeline.Produced p : misplaced) {
                EventEnvelope e = p.event();
                assertThat(pipeline.store().session(e.sessionId()).get(10, TimeUnit.SECONDS)).as(e.sessionId()).isEmpty();
            }
            assertThat(wrongPartition(app)).isEqualTo(misplaced.size());
        }
    }

    private static List<EventEnvelope> sessionsWithAnInteraction(int sessions) {
        Instant t = Instant.now();
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            events.add(Events.created("node-session-" + i, "WITH_CONTEXT", t));
            events.add(Events.interaction("node-session-" + i, "node-int-" + i, "RESPONSE_ONLY", t.plusMillis(1)));
        }
        return events;
    }

    private static double wrongPartition(RunningApp app) {
        return app.meterRegistry().find("mtp.consume.wrong.partition").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(TestNamespace ns, Pipeline pipeline, int expected) {
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, ns.group("dlq-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(pipeline.topics.deadLetter().name()));
            await().atMost(CONVERGE).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(letters::add);
                return letters.size() >= expected;
            });
            dlq.poll(Duration.ofSeconds(1)).forEach(letters::add); // none more: well-placed events are not letters
        }
        return letters;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
