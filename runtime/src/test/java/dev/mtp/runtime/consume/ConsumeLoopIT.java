package dev.mtp.runtime.consume;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.WrongPartitionException;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@RealServers
class ConsumeLoopIT {
    private static final ConfigTable TABLE = ConfigTable.builder("loop-it")
            .addAll(CommonConfigKeys.runtime(0))
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .addAll(CommonConfigKeys.CONSUME)
            .build();

    private final List<SourcedEvent> written = new CopyOnWriteArrayList<>();
    private RunningApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void writesEachBatchAndCommitsItsOffsetsAfterwards(ConsumeLoop.Decoding decoding, TestNamespace ns) throws Exception {
        start(ns, batch -> { written.addAll(batch); return List.of(); }, decoding);

        produce(ns, event("s-1"), event("s-2"), event("s-3"));

        await().until(() -> written.size() == 3);
        await().untilAsserted(() -> assertThat(committedTotal(ns)).isEqualTo(3));
        assertThat(written).extracting(e -> e.event().sessionId()).containsExactlyInAnyOrder("s-1", "s-2", "s-3");
        assertThat(written).allSatisfy(e -> assertThat(e.version().offset()).isEqualTo(e.offset()));
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void poisonRecordsGoToTheDeadLetterTopicWithReasonsAndThePartitionKeepsMoving(ConsumeLoop.Decoding decoding, TestNamespace ns) throws Exception {
        start(ns, batch -> { written.addAll(batch); return List.of(); }, decoding);

        produceRaw(ns, "s-1", "not json {".getBytes(StandardCharsets.UTF_8));
        produceRaw(ns, "s-1", EventCodec.encode(event("s-other")));
        produce(ns, event("s-1"));

        await().until(() -> written.size() == 1);
        List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(ns, 2);
        assertThat(letters).extracting(r -> header(r, DeadLetterPublisher.ERROR_MESSAGE))
                .anySatisfy(m -> assertThat(m).startsWith("not a JSON event"))
                .anySatisfy(m -> assertThat(m).contains("must equal the record key 's-1'"));
        assertThat(letters).allSatisfy(r -> {
            assertThat(header(r, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo(PersistenceTopics.withPrefix(ns.topicPrefix()).sessions().name());
            assertThat(header(r, DeadLetterPublisher.APP)).isEqualTo("loop-it");
            assertThat(header(r, DeadLetterPublisher.SOURCE_OFFSET)).isNotBlank();
        });
        await().untilAsserted(() -> assertThat(committedTotal(ns)).isEqualTo(3));
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void aRecordOnAnotherPartitionThanItsKeysIsDeadLetteredCountedAndNeverWritten(ConsumeLoop.Decoding decoding, TestNamespace ns) throws Exception {
        start(ns, batch -> { written.addAll(batch); return List.of(); }, decoding);
        String topic = PersistenceTopics.withPrefix(ns.topicPrefix()).sessions().name();
        int right = ContractPartitioner.partitionOf("s-1", 2);

        produceTo(ns, 1 - right, "s-1", EventCodec.encode(event("s-1")));
        produceTo(ns, right, null, EventCodec.encode(event("s-1")));
        produce(ns, event("s-2"));

        await().until(() -> written.size() == 1);
        assertThat(written.get(0).event().sessionId()).isEqualTo("s-2");
        List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(ns, 2);
        assertThat(letters).anySatisfy(letter -> {
            assertThat(header(letter, DeadLetterPublisher.ERROR_CLASS)).isEqualTo(WrongPartitionException.class.getName());
            assertThat(header(letter, DeadLetterPublisher.ERROR_MESSAGE)).startsWith("partition: the record's key maps to"
                    + " partition " + right + " of " + topic + " (2 partitions, murmur2 of the key as the Java client's"
                    + " default partitioner), but it is on partition " + (1 - right) + " at offset 0");
            assertThat(header(letter, DeadLetterPublisher.SOURCE_PARTITION)).isEqualTo(Integer.toString(1 - right));
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("s-1");
        }).anySatisfy(letter -> assertThat(header(letter, DeadLetterPublisher.ERROR_MESSAGE))
                .isEqualTo("key: the record has no key; events are keyed by their sessionId 's-1'"));
        assertThat(app.meterRegistry().get("mtp.consume.wrong.partition").tag("topic", topic).counter().count())
                .isEqualTo(1);
        await().untilAsserted(() -> assertThat(committedTotal(ns)).isEqualTo(3));
        assertThat(written).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void aPoisonRecordTooLargeForALetterWithItsReasonsIsDeadLetteredWithoutItsValue(ConsumeLoop.Decoding decoding, TestNamespace ns) throws Exception {
        start(ns, batch -> { written.addAll(batch); return List.of(); }, decoding);
        // fits the source topic (1 MiB records) but not with the dead-letter headers added
        byte[] large = new byte[1_048_576 - 400];
        java.util.Arrays.fill(large, (byte) '{');

        produceRaw(ns, "s-1", large);
        produce(ns, event("s-1"));

        await().until(() -> written.size() == 1);
        ConsumerRecord<byte[], byte[]> letter = deadLetters(ns, 1).get(0);
        assertThat(letter.value()).isNull();
        assertThat(header(letter, DeadLetterPublisher.VALUE_DROPPED)).isEqualTo(Integer.toString(large.length));
        assertThat(header(letter, DeadLetterPublisher.ERROR_MESSAGE)).startsWith("not a JSON event");
        assertThat(header(letter, DeadLetterPublisher.SOURCE_OFFSET)).isEqualTo("0");
        await().untilAsserted(() -> assertThat(committedTotal(ns)).isEqualTo(2));
        assertThat(app.isStopped()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void aTransientStoreFailureRetriesTheSameBatchAndCommitsOnlyOnceItIsWritten(ConsumeLoop.Decoding decoding, TestNamespace ns) throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        AtomicInteger attempts = new AtomicInteger();
        start(ns, batch -> {
            attempts.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IOException("store down");
            }
            written.addAll(batch);
            return List.of();
        }, decoding);

        produce(ns, event("s-1"));

        await().until(() -> attempts.get() >= 2);
        assertThat(committedTotal(ns)).isZero();
        assertThat(app.readiness().up()).isFalse();
        await().until(() -> written.size() == 1);
        await().untilAsserted(() -> assertThat(committedTotal(ns)).isEqualTo(1));
        assertThat(attempts.get()).isEqualTo(4);
        await().untilAsserted(() -> assertThat(app.readiness().up()).isTrue());
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void eventsTheStoreRejectsAreDeadLetteredAndTheRestOfTheBatchLands(ConsumeLoop.Decoding decoding, TestNamespace ns) throws Exception {
        start(ns, batch -> {
            List<BatchWriter.Rejected> rejected = new ArrayList<>();
            for (SourcedEvent e : batch) {
                if (e.event().sessionId().equals("s-bad")) {
                    rejected.add(new BatchWriter.Rejected(e, new IllegalArgumentException("document too large")));
                } else {
                    written.add(e);
                }
            }
            return rejected;
        }, decoding);

        produce(ns, event("s-bad"), event("s-good"));

        await().until(() -> written.size() == 1);
        assertThat(deadLetters(ns, 1)).singleElement().satisfies(r -> {
            assertThat(header(r, DeadLetterPublisher.ERROR_MESSAGE)).isEqualTo("document too large");
            assertThat(header(r, DeadLetterPublisher.ERROR_CLASS)).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("s-bad");
        });
        await().untilAsserted(() -> assertThat(committedTotal(ns)).isEqualTo(2));
    }

    /**
     * The loop reads a poll ahead while it writes; a rebalance that takes partitions away while polls are in hand
     * must take their records out of them: no member writes an event of a partition it no longer owns, and every
     * event is written and committed by one member or the other.
     */
    @Test
    void aPartitionRevokedWhilePollsAreInHandIsWrittenOnlyByItsNextOwner(TestNamespace ns) throws Exception {
        int events = 3_000;
        List<String> violations = new CopyOnWriteArrayList<>();
        Set<String> writtenIds = ConcurrentHashMap.newKeySet();
        OwnershipCheckingWriter first = new OwnershipCheckingWriter("first", violations, writtenIds);
        OwnershipCheckingWriter second = new OwnershipCheckingWriter("second", violations, writtenIds);
        Map<String, String> smallPolls = Map.of("APP_CONSUME_MAX_POLL_RECORDS", "20");

        app = start(ns, first, ConsumeLoop.Decoding.AHEAD, smallPolls);
        produceMany(ns, events);
        await().until(() -> writtenIds.size() >= 300);
        RunningApp other = start(ns, second, ConsumeLoop.Decoding.AHEAD, smallPolls);
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(committedTotal(ns)).isEqualTo(events));
        } finally {
            other.close();
        }

        assertThat(second.batches.get()).as("the second member took partitions over").isPositive();
        assertThat(violations).isEmpty();
        assertThat(writtenIds).hasSize(events);
    }

    /** Writes slowly, so that polls are in hand when the group rebalances, and notes events of partitions it does not own. */
    private static final class OwnershipCheckingWriter implements BatchWriter {
        private final String member;
        private final List<String> violations;
        private final Set<String> writtenIds;
        private final Set<TopicPartition> owned = new HashSet<>();
        final AtomicInteger batches = new AtomicInteger();

        OwnershipCheckingWriter(String member, List<String> violations, Set<String> writtenIds) {
            this.member = member;
            this.violations = violations;
            this.writtenIds = writtenIds;
        }

        @Override
        public List<Rejected> write(List<SourcedEvent> batch) throws Exception {
            for (SourcedEvent e : batch) {
                if (!owned.contains(new TopicPartition(e.topic(), e.partition()))) {
                    violations.add(member + " wrote " + e.topic() + "-" + e.partition() + "@" + e.offset());
                }
                writtenIds.add(e.event().eventId().toString());
            }
            batches.incrementAndGet();
            Thread.sleep(40);
            return List.of();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
        }
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void aFatalStoreErrorStopsTheAppWithoutCommitting(ConsumeLoop.Decoding decoding, TestNamespace ns) throws Exception {
        start(ns, batch -> { throw new IllegalStateException("bug in the writer"); }, decoding);

        produce(ns, event("s-1"));

        await().until(app::isStopped);
        assertThat(app.stopReason()).contains("bug in the writer");
        assertThat(committedTotal(ns)).isZero();
    }

    private void start(TestNamespace ns, BatchWriter writer, ConsumeLoop.Decoding decoding) {
        app = start(ns, writer, decoding, Map.of());
    }

    private static RunningApp start(TestNamespace ns, BatchWriter writer, ConsumeLoop.Decoding decoding,
                                    Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers(),
                "APP_TOPICS_PREFIX", ns.topicPrefix(),
                "APP_TOPICS_PARTITIONS", "2",
                "APP_CONSUME_RETRY_INITIAL_MS", "50",
                "APP_CONSUME_RETRY_MAX_MS", "200"));
        env.putAll(extraEnv);
        return AppLauncher.start(TABLE, ctx -> {
            ProvisionedTopics provisioned = PipelineTopics.ensure(ctx);
            PersistenceTopics topics = provisioned.names();
            ConsumeLoops.open(ctx, ns.group("loop"), provisioned, topics.eventTopics(), writer, cause -> false, decoding);
        }, Map.of(), env);
    }

    private static EventEnvelope event(String sessionId) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, sessionId, "CRITICAL_ONLY", Instant.now(), "test",
                new SessionCreated("u-1", "active", Map.of(), Map.of()));
    }

    private void produce(TestNamespace ns, EventEnvelope... events) throws Exception {
        for (EventEnvelope event : events) {
            produceRaw(ns, event.sessionId(), EventCodec.encode(event));
        }
    }

    private void produceMany(TestNamespace ns, int count) throws Exception {
        String topic = PersistenceTopics.withPrefix(ns.topicPrefix()).sessions().name();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                EventEnvelope event = event("s-" + i);
                producer.send(new ProducerRecord<>(topic, event.sessionId(), EventCodec.encode(event)));
            }
            producer.flush();
        }
    }

    private void produceRaw(TestNamespace ns, String key, byte[] value) throws Exception {
        String topic = PersistenceTopics.withPrefix(ns.topicPrefix()).sessions().name();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private void produceTo(TestNamespace ns, int partition, String key, byte[] value) throws Exception {
        String topic = PersistenceTopics.withPrefix(ns.topicPrefix()).sessions().name();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
        }
    }

    private long committedTotal(TestNamespace ns) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = ns.admin()
                .listConsumerGroupOffsets(ns.group("loop")).partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(TestNamespace ns, int expected) {
        String topic = PersistenceTopics.withPrefix(ns.topicPrefix()).deadLetter().name();
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, ns.group("dlq-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(found::add);
                return found.size() >= expected;
            });
        }
        return found;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
