package dev.mtp.runtime.consume;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.event.TopicRole;
import dev.mtp.runtime.kafka.PartitionCounts;
import dev.mtp.runtime.kafka.TopicIncarnations;
import dev.mtp.runtime.logging.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The writers' consume loop: each poll becomes one batch.
 * <ol>
 *   <li>decode every record; a poison record (not JSON, or breaking the contract) goes to the dead-letter
 *       topic and the partition keeps moving; so does a record on another partition than the one its key maps to
 *       under the contract's partitioner ({@code ContractPartitioner}), counted in
 *       {@code mtp.consume.wrong.partition} and logged at most once per partition every
 *       {@link #WRONG_PARTITION_LOG_INTERVAL};</li>
 *   <li>hand the decoded events to the {@link BatchWriter}; a transient failure pauses every assigned
 *       partition and retries the same batch with capped exponential backoff (polling meanwhile, so the
 *       consumer stays in its group), for as long as the store is down: nothing is skipped or lost;</li>
 *   <li>dead-letter the events the writer rejected, wait for those sends, then commit the batch's offsets:
 *       offsets are committed only once their effect is durable (invariant 1).</li>
 * </ol>
 * A crash anywhere before the commit means the batch is delivered again; writers are version-guarded,
 * so that changes nothing (invariant 2). A non-transient failure of the writer stops the app through
 * {@code onFatal} instead of skipping data.
 *
 * <p>With {@link Decoding#AHEAD} the loop reads one poll ahead: the next poll is taken, and decoded on a thread of
 * its own, before the batch in hand is written, so decoding overlaps the store's work instead of leaving it idle
 * (docs/decisions/0010). Every call on the writer and the consumer stays on the loop's thread. A partition revoked
 * or lost while polls are in hand is taken out of them: its records are neither written nor committed here, its
 * next owner reads them from the last commit.
 *
 * <p>A writer that holds back work to coalesce it over several polls ({@link BatchWriter#pending()}) is committed
 * like Kafka Streams commits a task: the offsets of every poll since the last commit wait until
 * {@link BatchWriter#flush()} made the held-back work durable; the flush runs when the writer says its window is
 * due, when a poll is empty (input stopped), before partitions are revoked and before the loop stops. A transient
 * failure of the flush is retried like a batch; partitions lost (or revoked while the store is down) drop their
 * held-back work and uncommitted offsets, and their next owner reads them again from the last commit.
 *
 * <p>The bookkeeping (polls in hand, offsets waiting for their commit, where a rewind restarts, partitions dropped) is
 * {@link ConsumeLedger}'s; this class makes the calls on the consumer, the writer and the dead-letter topic.
 */
public final class ConsumeLoop implements AutoCloseable {
    /** Where a poll is decoded. */
    public enum Decoding {
        /** On the loop's thread, one poll at a time: the least CPU per event, for writers that keep the cores busy. */
        INLINE,
        /** On a thread of its own, one poll ahead, while the batch before it is written: for writers that wait on a store. */
        AHEAD
    }

    private static final Logger log = LoggerFactory.getLogger(ConsumeLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** A producer with the wrong partitioner misplaces most of its records: one line per partition this often. */
    static final Duration WRONG_PARTITION_LOG_INTERVAL = Duration.ofSeconds(10);

    private final Consumer<String, byte[]> consumer;
    private final Map<String, TopicRole> roles = new HashMap<>();
    private final PollDecoder decoder;
    private final PartitionCounts partitionCounts;
    private final LogThrottle<TopicPartition> wrongPartitionLog = new LogThrottle<>(WRONG_PARTITION_LOG_INTERVAL.toMillis());
    /** The decoding thread, or null when polls are decoded inline. */
    private final ExecutorService decoding;
    private final BatchWriter writer;
    private final ErrorClassifier classifier;
    private final DeadLetterPublisher deadLetters;
    private final Backoff backoff;
    private final BiConsumer<String, Throwable> onFatal;
    private final Metrics metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean retrying;
    private final ConsumeLedger ledger;

    public ConsumeLoop(String name, Consumer<String, byte[]> consumer, List<TopicDescriptor<String, EventEnvelope>> topics,
                       TopicIncarnations incarnations, BatchWriter writer, ErrorClassifier classifier, DeadLetterPublisher deadLetters,
                       Backoff backoff, MeterRegistry registry, BiConsumer<String, Throwable> onFatal,
                       Decoding decoding) {
        this.consumer = consumer;
        topics.forEach(topic -> roles.put(topic.name(), topic.role()));
        this.partitionCounts = new PartitionCounts(names -> {
            Map<String, Integer> counts = new HashMap<>();
            names.forEach(topic -> counts.put(topic, consumer.partitionsFor(topic).size()));
            return counts;
        });
        this.decoder = new PollDecoder(roles, incarnations, partitionCounts);
        this.decoding = decoding == Decoding.AHEAD
                ? Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name + "-decode").factory())
                : null;
        this.ledger = new ConsumeLedger(decoding == Decoding.AHEAD ? 1 : 0);
        this.writer = writer;
        this.classifier = classifier;
        this.deadLetters = deadLetters;
        this.backoff = backoff;
        this.onFatal = onFatal;
        this.metrics = new Metrics(registry, roles.keySet());
        Gauge.builder("mtp.consume.pending", writer, BatchWriter::pending)
                .description("Work the writer holds back to coalesce it; offsets wait for it to be flushed").register(registry);
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    public void start() {
        consumer.subscribe(roles.keySet(), new Rebalance());
        thread.start();
    }

    /** True while a batch waits for the store to come back; apps expose it as degraded readiness. */
    public boolean isRetrying() {
        return retrying;
    }

    private void run() {
        try {
            while (running) {
                // With a poll in hand, only what has been fetched already: its write must not wait for more input.
                ConsumerRecords<String, byte[]> records = consumer.poll(ledger.hasPollsInHand() ? Duration.ZERO : POLL_TIMEOUT);
                ledger.read(polled(records));
                switch (ledger.next(records.isEmpty(), writer.pending())) {
                    case REWIND -> rewind();
                    case WRITE -> process(ledger.take());
                    case FLUSH -> flushAndCommit("idle");
                    case POLL -> { }
                }
            }
            while (ledger.hasPollsInHand() && !retrying) {
                process(ledger.take());
            }
            if (writer.pending() > 0 && !retrying) {
                finalFlush();
            }
        } catch (WakeupException e) {
            if (running) {
                onFatal.accept("consumer woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running) {
                onFatal.accept("consume loop stopped: " + e.getMessage(), e);
            }
        }
    }

    /** A poll, with its decoding started on the decoding thread, or left to be done inline when it is written. */
    private ConsumeLedger.Poll polled(ConsumerRecords<String, byte[]> records) {
        if (decoding == null || records.isEmpty()) {
            return new ConsumeLedger.Poll(records, () -> decoder.decode(records), System.nanoTime());
        }
        Future<PollDecoder.Decoded> decodedLater = decoding.submit(() -> decoder.decode(records));
        return new ConsumeLedger.Poll(records, () -> {
            try {
                return decodedLater.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }, System.nanoTime());
    }

    private void process(ConsumeLedger.Poll polled) throws Exception {
        try {
            write(polled);
        } finally {
            ledger.release();
        }
    }

    private void write(ConsumeLedger.Poll polled) throws Exception {
        PollDecoder.Decoded decoded = polled.decoded.call();
        for (PollDecoder.Poison poison : decoded.poison()) {
            ConsumerRecord<String, byte[]> record = poison.record();
            if (polled.owns(record)) {
                deadLetters.send(raw(record), poison.cause());
                metrics.deadLettered.increment();
                log.atWarn().setMessage("poison record dead-lettered: {}").addArgument(poison.cause().getMessage())
                        .addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
                        .addKeyValue("offset", record.offset()).log();
            }
        }
        for (PollDecoder.Misplaced misplaced : decoded.misplaced()) {
            ConsumerRecord<String, byte[]> record = misplaced.record();
            if (polled.owns(record)) {
                deadLetters.send(raw(record), misplaced.cause());
                metrics.deadLettered.increment();
                metrics.wrongPartition.get(record.topic()).increment();
                warnMisplaced(misplaced);
            }
        }
        List<BatchWriter.Rejected> rejected;
        List<SourcedEvent> batch = polled.withoutDropped(decoded.events());
        try {
            rejected = writeUntilDone(polled, batch);
        } catch (BatchWriter.RedeliverException e) {
            readAgainFromLastCommit(e);
            return;
        }
        if (rejected == null) {
            return;
        }
        for (BatchWriter.Rejected r : rejected) {
            ConsumerRecord<String, byte[]> source = decoded.sources().get(r.event());
            if (source == null) {
                throw new IllegalStateException("the writer rejected an event that is not one of its batch's instances");
            }
            deadLetters.send(raw(source), r.error());
            metrics.deadLettered.increment();
            log.atWarn().setMessage("record rejected by the store, dead-lettered: {}").addArgument(r.error().getMessage())
                    .addKeyValue("topic", r.event().topic()).addKeyValue("offset", r.event().offset()).log();
        }
        metrics.batches.increment();
        metrics.batchSize.record(polled.records.count());
        metrics.written.increment(polled.withoutDropped(decoded.events()).size() - rejected.size());
        ledger.written(polled, consumer.assignment());
        if (writer.pending() == 0) {
            deadLetters.flush();
            commit();
        } else if (writer.flushDue()) {
            flushAndCommit("window");
        }
        metrics.latency.record(Duration.ofNanos(System.nanoTime() - polled.polledAtNanos));
    }

    private void warnMisplaced(PollDecoder.Misplaced misplaced) {
        ConsumerRecord<String, byte[]> record = misplaced.record();
        long heldBack = wrongPartitionLog.admit(new TopicPartition(record.topic(), record.partition()),
                System.currentTimeMillis());
        if (heldBack != LogThrottle.HOLD_BACK) {
            log.atWarn().setMessage("record on the wrong partition dead-lettered ({} more on this partition since the"
                            + " last such line): {}").addArgument(heldBack).addArgument(misplaced.cause().getMessage())
                    .addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
                    .addKeyValue("offset", record.offset()).addKeyValue("key", record.key())
                    .addKeyValue("expectedPartition", misplaced.cause().expectedPartition()).log();
        }
    }

    /**
     * Makes the writer's held-back work durable (retrying transient failures like a batch), then dead letters, then
     * commits every offset read since the last commit. Nothing is committed when the loop stops first.
     */
    private void flushAndCommit(String reason) throws Exception {
        int attempt = 0;
        while (true) {
            try {
                if (writer.pending() > 0) {
                    writer.flush();
                    metrics.flush(reason);
                }
                if (retrying) {
                    log.info("store is back after {} retries; resuming", attempt);
                    consumer.resume(consumer.assignment());
                    retrying = false;
                }
                break;
            } catch (BatchWriter.RedeliverException e) {
                readAgainFromLastCommit(e);
                return;
            } catch (Exception e) {
                if (!classifier.isTransient(e)) {
                    throw e;
                }
                attempt++;
                if (!backOff(attempt, e)) {
                    return;
                }
            }
        }
        deadLetters.flush();
        commit();
    }

    /** The loop is stopping with held-back work: one attempt to make it durable and commit, else it is redelivered. */
    private void finalFlush() {
        try {
            writer.flush();
            metrics.flush("stop");
            deadLetters.flush();
            commit();
        } catch (Exception e) {
            log.warn("held-back work not flushed at stop ({}); it is read again from the last commit", e.getMessage());
        }
    }

    /**
     * After the writer dropped its held-back work: every partition read since the last commit is read again from
     * there, and nothing read since is committed.
     */
    private void rewind() {
        ledger.rewind(consumer.assignment()).forEach(consumer::seek);
        metrics.rewinds.increment();
    }

    /** The writer refused its held-back work as it is: everything since the last commit is read again. */
    private void readAgainFromLastCommit(BatchWriter.RedeliverException e) {
        log.warn("held-back work could not be written as it is ({}); reading again from the last commit",
                e.getMessage());
        resumeIfRetrying();
        rewind();
    }

    private void resumeIfRetrying() {
        if (retrying) {
            consumer.resume(consumer.assignment());
            retrying = false;
        }
    }

    /**
     * Writes the batch, retrying transient failures with partitions paused. Returns the rejected events,
     * or null when the loop is stopping before the batch could be written (nothing is committed then).
     */
    private List<BatchWriter.Rejected> writeUntilDone(ConsumeLedger.Poll polled, List<SourcedEvent> batch) throws Exception {
        int attempt = 0;
        while (true) {
            try {
                List<BatchWriter.Rejected> rejected = batch.isEmpty() ? List.of() : writer.write(batch);
                if (retrying) {
                    log.info("store is back after {} retries; resuming", attempt);
                    consumer.resume(consumer.assignment());
                    retrying = false;
                }
                return rejected;
            } catch (BatchWriter.RedeliverException e) {
                throw e;
            } catch (Exception e) {
                if (!classifier.isTransient(e)) {
                    throw e;
                }
                attempt++;
                if (!backOff(attempt, e)) {
                    return null;
                }
                batch = polled.withoutDropped(batch); // partitions revoked while it waited belong to another member now
            }
        }
    }

    /** After a transient failure: pauses every partition and waits (polling); false when the loop stops meanwhile. */
    private boolean backOff(int attempt, Exception e) {
        metrics.retries.increment();
        if (!retrying) {
            retrying = true;
            consumer.pause(consumer.assignment());
        }
        Duration wait = backoff.delay(attempt);
        log.atWarn().setMessage("store unavailable, retry {} in {} ms: {}").addArgument(attempt)
                .addArgument(wait.toMillis()).addArgument(e.getMessage()).log();
        return waitPolling(wait);
    }

    /** Waits while polling paused partitions, so the group keeps this member; false when stopping. */
    private boolean waitPolling(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (running && System.nanoTime() < deadline) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            ConsumerRecords<String, byte[]> none = consumer.poll(Duration.ofMillis(Math.min(left, POLL_TIMEOUT.toMillis())));
            if (!none.isEmpty()) {
                throw new IllegalStateException("records returned while every partition was paused");
            }
        }
        return running;
    }

    /** Commits every offset read since the last commit, of the partitions still owned. */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.commit(consumer.assignment());
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private static ConsumerRecord<byte[], byte[]> raw(ConsumerRecord<String, byte[]> record) {
        byte[] key = record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), key, record.value(),
                record.headers(), record.leaderEpoch());
    }

    /**
     * Stops after the batch in hand: it is written and committed, or left uncommitted for redelivery; work the writer
     * holds back is flushed and committed once more, or left uncommitted too.
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(Duration.ofSeconds(30));
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(Duration.ofSeconds(5));
        }
        if (decoding != null) {
            decoding.shutdownNow();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        /**
         * Held-back work is flushed and everything read so far committed before the partitions go (the usual commit
         * on revocation), unless the store is down (a batch or flush is being retried) or the flush fails: then the
         * revoked partitions' held-back work and uncommitted offsets are dropped, and their next owner reads them
         * again from the last commit.
         */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Not while stopping either: the loop has made its last flush, and the consumer's close may call this
            // from another thread after the dead-letter producer is closed.
            if (writer.pending() > 0 && !retrying && !ledger.rewindDue() && running) {
                try {
                    writer.flush();
                    metrics.flush("rebalance");
                    deadLetters.flush();
                    commit();
                } catch (BatchWriter.RedeliverException e) {
                    log.warn("held-back work could not be written as it is ({}); reading again from the last commit",
                            e.getMessage());
                    ledger.forget(partitions);
                    ledger.rewindAfterPoll();
                } catch (Exception e) {
                    log.warn("held-back work of revoked partitions {} dropped, their next owner reads it again: {}",
                            partitions, e.getMessage());
                }
            }
            letGo(partitions);
        }

        /** Lost (not revoked): another member may own them already, so nothing of theirs is written or committed. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            letGo(partitions);
        }

        /** What remains of the partitions' work in this loop is dropped: their next owner reads it again. */
        private void letGo(Collection<TopicPartition> partitions) {
            ledger.letGo(partitions);
            writer.dropPending(partitions);
            writer.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Before any record of these partitions is polled, so their topics' counts are current when it is decoded.
            partitionCounts.refresh(partitions.stream().map(TopicPartition::topic).distinct().toList());
            // A batch still waiting for the store must not be joined by records of new partitions.
            if (retrying) {
                consumer.pause(partitions);
            }
            try {
                writer.onPartitionsAssigned(partitions);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the writer could not take partitions " + partitions + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static final class Metrics {
        final Counter written;
        final Counter deadLettered;
        final Counter retries;
        final Counter batches;
        final DistributionSummary batchSize;
        final Timer latency;
        final Counter rewinds;
        /** By topic name: records dead-lettered for being on the wrong partition. */
        final Map<String, Counter> wrongPartition = new HashMap<>();
        private final MeterRegistry registry;

        void flush(String reason) {
            Counter.builder("mtp.consume.flushes").description("Flushes of a writer's held-back work, by what caused them")
                    .tag("reason", reason).register(registry).increment();
        }

        Metrics(MeterRegistry registry, Collection<String> topics) {
            this.registry = registry;
            for (String topic : topics) {
                wrongPartition.put(topic, Counter.builder("mtp.consume.wrong.partition")
                        .description("Records dead-lettered because they were on another partition than the one their"
                                + " key maps to (docs/producers.md)")
                        .tag("topic", topic).register(registry));
            }
            rewinds = Counter.builder("mtp.consume.rewinds")
                    .description("Re-reads from the last commit after held-back work could not be written as it was")
                    .register(registry);
            written = Counter.builder("mtp.consume.events").description("Events written to the store")
                    .register(registry);
            deadLettered = Counter.builder("mtp.consume.dead.lettered")
                    .description("Records sent to the dead-letter topic (poison, on the wrong partition, or rejected by the store)").register(registry);
            retries = Counter.builder("mtp.consume.retries").description("Batch retries after transient store failures")
                    .register(registry);
            batches = Counter.builder("mtp.consume.batches").description("Batches written and committed").register(registry);
            batchSize = DistributionSummary.builder("mtp.consume.batch.size").description("Records per batch")
                    .register(registry);
            latency = Timer.builder("mtp.consume.batch.latency").description("Poll to commit, per batch")
                    .publishPercentiles(0.5, 0.99).register(registry);
        }
    }
}
