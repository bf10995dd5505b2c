package dev.mtp.reconciler.it;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.WrongPartitionException;
import dev.mtp.reconciler.Pipeline;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A direct producer that put a session's update on another partition than the session's (an explicit partition here,
 * as a client with another partitioner would): the reconciler dead-letters it and never folds it into the shadow, so
 * it neither repairs Redis to it nor judges other keys by it. cache-writer is not running: what Redis holds is the
 * reconciler's doing.
 */
@RealServers
class WrongPartitionIT {

    private static final String SESSION = "session-123";

    @TempDir
    Path stateDir;

    @Test
    void anUpdateOnAnotherPartitionThanItsSessionsIsDeadLetteredCountedAndNeverRepairedIntoRedis(TestNamespace ns)
            throws Exception {
        try (Pipeline pipeline = new Pipeline(ns, stateDir); RunningApp app = pipeline.startReconciler()) {
            Instant t = Instant.now();
            pipeline.produce(Events.created(SESSION, "WITH_CONTEXT", t));
            pipeline.flush();
            int right = ContractPartitioner.partitionOf(SESSION, Pipeline.PARTITIONS);
            int wrong = (right + 1) % Pipeline.PARTITIONS;
            EventEnvelope paused = Events.updated(SESSION, null, t.plusMillis(1), "paused");

            long offset = produceTo(ns, pipeline.topics().sessions().name(), wrong, paused);

            ConsumerRecord<byte[], byte[]> letter = deadLetter(ns, pipeline.topics().deadLetter().name());
            assertThat(header(letter, DeadLetterPublisher.ERROR_CLASS)).isEqualTo(WrongPartitionException.class.getName());
            assertThat(header(letter, DeadLetterPublisher.ERROR_MESSAGE)).contains(
                    "maps to partition " + right + " of " + pipeline.topics().sessions().name(),
                    "but it is on partition " + wrong + " at offset " + offset);
            assertThat(header(letter, DeadLetterPublisher.APP)).isEqualTo("shadow-reconciler");
            assertThat(letter.value()).isEqualTo(EventCodec.encode(paused));
            assertThat(app.meterRegistry().get("mtp.reconciler.events").tags("topic", "sessions", "outcome",
                    "wrong_partition").counter().count()).isEqualTo(1);
            // The created event's key is repaired in (check delay 2 s); the update's would follow if it were folded.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    pipeline.store().session(SESSION).get(5, TimeUnit.SECONDS).isPresent());
            TimeUnit.SECONDS.sleep(4);
            assertThat(pipeline.store().session(SESSION).get(5, TimeUnit.SECONDS).orElseThrow()
                    .get(SessionField.STATUS)).isEqualTo("active");
        }
    }

    private static long produceTo(TestNamespace ns, String topic, int partition, EventEnvelope event) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, partition, event.sessionId(), EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS).offset();
        }
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(TestNamespace ns, String topic) {
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, ns.group("dlq-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return !letters.isEmpty();
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(letters::add);
        }
        assertThat(letters).as("dead letters").hasSize(1);
        return letters.get(0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
