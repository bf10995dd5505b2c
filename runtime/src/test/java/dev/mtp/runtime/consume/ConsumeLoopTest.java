package dev.mtp.runtime.consume;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.version.Incarnation;
import dev.mtp.runtime.kafka.TopicIncarnations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The loop's offsets, retries, rewinds and dropped partitions against Kafka's {@link MockConsumer}. */
class ConsumeLoopTest {
    private static final TopicDescriptor<String, EventEnvelope> TOPIC = PersistenceTopics.withPrefix("unit").sessions();
    private static final TopicPartition A = new TopicPartition(TOPIC.name(), 0);
    private static final TopicPartition B = new TopicPartition(TOPIC.name(), 1);

    private final PacedConsumer consumer = new PacedConsumer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final AtomicInteger nextOffsetA = new AtomicInteger();
    private final AtomicInteger nextOffsetB = new AtomicInteger();
    private ConsumeLoop loop;

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ConsumeLoop.Decoding.class)
    void eachPollIsWrittenAndOnlyThenItsOffsetsAreCommitted(ConsumeLoop.Decoding decoding) {
        RecordingWriter writer = new RecordingWriter() {
            @Override
            public List<Rejected> write(List<SourcedEvent> batch) throws Exception {
                committedAtWrite.add(committed(A));
                return super.write(batch);
            }
        };
        start(writer, decoding);
        produce(A, 3);

        await().until(() -> committed(A) == 3);
        assertThat(writer.events()).extracting(SourcedEvent::offset).containsExactly(0L, 1L, 2L);
        assertThat(writer.committedAtWrite).containsOnly(0L);
        assertThat(fatal.get()).isNull();
    }

    @Test
    void offsetsOfHeldBackWorkWaitForItsFlushWhichRunsOnceInputStops() {
        RecordingWriter writer = new RecordingWriter() {
            @Override
            public int pending() {
                return heldBack;
            }

            @Override
            public boolean flushDue() {
                return false;
            }

            @Override
            public void flush() {
                committedAtWrite.add(committed(A));
                heldBack = 0;
            }
        };
        start(writer, ConsumeLoop.Decoding.INLINE);
        produce(A, 2);
        produce(A, 2);

        await().until(() -> committed(A) == 4);
        assertThat(writer.committedAtWrite).as("committed when the flush began").containsOnly(0L);
        assertThat(registry.counter("mtp.consume.flushes", "reason", "idle").count()).isPositive();
    }

    @Test
    void heldBackWorkRefusedAsItIsIsReadAgainFromTheLastCommitAndNothingIsCommittedBefore() {
        AtomicInteger refusals = new AtomicInteger(1);
        RecordingWriter writer = new RecordingWriter() {
            @Override
            public int pending() {
                return heldBack;
            }

            @Override
            public void flush() throws RedeliverException {
                heldBack = 0;
                if (refusals.getAndDecrement() > 0) {
                    throw new RedeliverException("a coalesced write was refused");
                }
            }
        };
        start(writer, ConsumeLoop.Decoding.INLINE);
        produce(A, 3);

        await().until(() -> registry.counter("mtp.consume.rewinds").count() == 1);
        assertThat(committed(A)).isZero();
        AtomicLong positionAfterRewind = new AtomicLong(-1);
        consumer.schedulePollTask(() -> positionAfterRewind.set(consumer.position(A)));
        await().until(() -> positionAfterRewind.get() >= 0);
        assertThat(positionAfterRewind.get()).isZero();
        nextOffsetA.set(0);
        produce(A, 3); // what Kafka returns after the seek

        await().until(() -> committed(A) == 3);
        assertThat(writer.events()).extracting(SourcedEvent::offset).containsExactly(0L, 1L, 2L, 0L, 1L, 2L);
    }

    @Test
    void aTransientFailurePausesEveryPartitionAndRetriesTheSameBatchUntilItIsWritten() {
        AtomicInteger failures = new AtomicInteger(2);
        List<Set<TopicPartition>> pausedAtRetry = new CopyOnWriteArrayList<>();
        RecordingWriter writer = new RecordingWriter() {
            @Override
            public List<Rejected> write(List<SourcedEvent> batch) throws Exception {
                attempts.add(batch);
                if (failures.getAndDecrement() > 0) {
                    throw new IOException("store down");
                }
                pausedAtRetry.add(consumer.paused());
                return super.write(batch);
            }
        };
        start(writer, ConsumeLoop.Decoding.INLINE);
        produce(A, 2);

        await().until(() -> committed(A) == 2);
        assertThat(writer.attempts).hasSize(3).allSatisfy(batch -> assertThat(batch).isEqualTo(writer.attempts.get(0)));
        assertThat(pausedAtRetry).containsExactly(Set.of(A, B));
        assertThat(consumer.paused()).isEmpty();
        assertThat(loop.isRetrying()).isFalse();
        assertThat(registry.counter("mtp.consume.retries").count()).isEqualTo(2);
    }

    @Test
    void aPartitionLostWhileItsBatchWaitsForTheStoreIsNeitherWrittenNorCommittedHere() {
        AtomicInteger failures = new AtomicInteger(1);
        RecordingWriter writer = new RecordingWriter() {
            @Override
            public List<Rejected> write(List<SourcedEvent> batch) throws Exception {
                if (failures.getAndDecrement() > 0) {
                    consumer.schedulePollTask(() -> consumer.losePartitions(List.of(B)));
                    throw new IOException("store down");
                }
                return super.write(batch);
            }
        };
        start(writer, ConsumeLoop.Decoding.AHEAD);
        consumer.schedulePollTask(() -> {
            addRecords(A, 2);
            addRecords(B, 2);
        });

        await().until(() -> committed(A) == 2);
        assertThat(writer.events()).extracting(SourcedEvent::partition).containsOnly(0);
        assertThat(writer.dropped).containsExactly(B);
        assertThat(committed(B)).isZero();
    }

    @Test
    void aFatalStoreFailureStopsTheLoopWithoutCommitting() {
        RecordingWriter writer = new RecordingWriter() {
            @Override
            public List<Rejected> write(List<SourcedEvent> batch) {
                throw new IllegalStateException("bug in the writer");
            }
        };
        start(writer, ConsumeLoop.Decoding.INLINE);
        produce(A, 1);

        await().until(() -> fatal.get() != null);
        assertThat(fatal.get()).contains("bug in the writer");
        assertThat(committed(A)).isZero();
    }

    private void start(BatchWriter writer, ConsumeLoop.Decoding decoding) {
        consumer.updatePartitions(TOPIC.name(), List.of(partitionInfo(0), partitionInfo(1)));
        consumer.updateBeginningOffsets(Map.of(A, 0L, B, 0L));
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                "unit-dead-letters", "unit", Clock.systemUTC());
        loop = new ConsumeLoop("unit", consumer, List.of(TOPIC),
                new TopicIncarnations(Map.of(TOPIC.name(), Incarnation.ofTopicId(UUID.randomUUID().toString()))),
                writer, cause -> false, deadLetters, new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), registry,
                (reason, e) -> fatal.set(reason), decoding);
        loop.start();
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(A, B)));
    }

    /** Adds records on the loop's thread, inside a poll: the only thread that may touch the consumer. */
    private void produce(TopicPartition partition, int count) {
        consumer.schedulePollTask(() -> addRecords(partition, count));
    }

    private void addRecords(TopicPartition partition, int count) {
        AtomicInteger next = partition.equals(A) ? nextOffsetA : nextOffsetB;
        String key = keyFor(partition);
        for (int i = 0; i < count; i++) {
            consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), next.getAndIncrement(),
                    key, EventCodec.encode(event(key))));
        }
    }

    private long committed(TopicPartition partition) {
        OffsetAndMetadata offset = consumer.committed(Set.of(partition)).get(partition);
        return offset == null ? 0 : offset.offset();
    }

    private static String keyFor(TopicPartition partition) {
        return IntStream.range(0, 1_000).mapToObj(i -> "s-" + i)
                .filter(key -> ContractPartitioner.partitionOf(key, 2) == partition.partition())
                .findFirst().orElseThrow();
    }

    private static EventEnvelope event(String sessionId) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, sessionId, "CRITICAL_ONLY", Instant.now(), "test",
                new SessionCreated("u-1", "active", Map.of(), Map.of()));
    }

    private static PartitionInfo partitionInfo(int partition) {
        return new PartitionInfo(TOPIC.name(), partition, null, null, null);
    }

    /** A writer that keeps what it wrote; its overrides add the behaviour each test needs. */
    private static class RecordingWriter implements BatchWriter {
        final List<List<SourcedEvent>> written = new CopyOnWriteArrayList<>();
        final List<List<SourcedEvent>> attempts = new CopyOnWriteArrayList<>();
        final List<Long> committedAtWrite = new CopyOnWriteArrayList<>();
        final List<TopicPartition> dropped = new CopyOnWriteArrayList<>();
        volatile int heldBack;

        @Override
        public List<Rejected> write(List<SourcedEvent> batch) throws Exception {
            written.add(batch);
            heldBack += batch.size();
            return List.of();
        }

        @Override
        public void dropPending(Collection<TopicPartition> partitions) {
            dropped.addAll(partitions);
        }

        List<SourcedEvent> events() {
            return written.stream().flatMap(List::stream).toList();
        }
    }

    /** Waits out an empty poll as a real consumer would, instead of spinning the loop's thread. */
    private static final class PacedConsumer extends MockConsumer<String, byte[]> {
        PacedConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty() && !timeout.isZero()) {
                try {
                    Thread.sleep(Math.min(timeout.toMillis(), 5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }
}
