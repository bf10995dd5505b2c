package dev.mtp.cachewriter.state;

import dev.mtp.common.config.Config;
import dev.mtp.common.projection.SessionState;
import dev.mtp.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The latest full state of every session of the partitions this instance owns (docs/decisions/0003): in memory,
 * and in the compacted state topic, whose partition {@code p} holds the sessions of partition {@code p} of the event
 * topics (same key, same partition count).
 * <ul>
 *   <li>{@link #take}: on assignment, each partition's states are read from the state topic, from where this
 *       instance last read it up to its end (everything written meanwhile, by this instance or another);</li>
 *   <li>{@link #persist}: a batch's changed states are produced and acknowledged before the batch's offsets are
 *       committed, and only then {@link #apply applied} in memory (a batch that fails is retried on the old state);</li>
 *   <li>{@link #release}: a revoked partition's states stay until the next assignment; partitions not assigned again
 *       are dropped then;</li>
 *   <li>{@link #evictIdle}: states unchanged for a retention period (at least the longest cache TTL) leave memory and,
 *       by a tombstone, the state topic (docs/decisions/0008).</li>
 * </ul>
 * A state carries its versions, so re-reading an older record, or a batch replayed after a crash between persist and
 * commit, changes nothing. Used from the consume loop's thread only.
 */
public final class SessionStateStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionStateStore.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Consumer<String, byte[]> restoreConsumer;
    private final Producer<String, byte[]> producer;
    private final Duration timeout;
    private final Duration retention;
    private final Clock clock;
    private final GenerationalStates states = new GenerationalStates();
    private Instant nextAging;
    /** Per partition: the state-topic offset up to which this instance has read or restored. */
    private final Map<Integer, Long> restoredTo = new HashMap<>();
    private final Set<Integer> owned = new HashSet<>();
    private volatile int sessionCount;

    /**
     * @param restoreConsumer a consumer without group (assign/seek only) of the state topic
     * @param producer        an idempotent, acks=all producer
     * @param timeout         bound for restoring one assignment and for acknowledging one batch's states
     * @param retention       how long a state may stay unchanged before it is evicted (at least that, at most twice)
     */
    public SessionStateStore(String topic, Consumer<String, byte[]> restoreConsumer, Producer<String, byte[]> producer,
                             Duration timeout, Duration retention, Clock clock) {
        this.topic = topic;
        this.restoreConsumer = restoreConsumer;
        this.producer = producer;
        this.timeout = timeout;
        this.retention = retention;
        this.clock = clock;
        this.nextAging = clock.instant().plus(retention);
    }

    /**
     * The session states of one consume loop as configured ({@link StateKeys}): its own restore consumer and acks=all
     * producer of the state topic.
     *
     * @param appName the process's name, which client ids carry
     * @param member  what tells this loop's clients from the other loops' in the process ("" for a single loop)
     */
    public static SessionStateStore open(Config config, String appName, String stateTopic, String member) {
        Map<String, Object> restoreProps = KafkaClients.common(config, "state-restore" + member);
        restoreProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        restoreProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Object> producerProps = KafkaClients.producer(config);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, KafkaClients.clientId(appName, "state-producer" + member));
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new SessionStateStore(stateTopic,
                new KafkaConsumer<>(restoreProps, new StringDeserializer(), new ByteArrayDeserializer()),
                new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer()),
                config.get(StateKeys.STATE_RESTORE_TIMEOUT_MS), config.get(StateKeys.STATE_RETENTION_MS),
                Clock.systemUTC());
    }

    /** Sessions whose state this store holds (owned partitions, and released ones until the next assignment). */
    public int sessionCount() {
        return sessionCount;
    }

    public String topic() {
        return topic;
    }

    /** The session's state, or null when this instance holds none for it. */
    public SessionState get(int partition, String sessionId) {
        return states.get(partition, sessionId);
    }

    public boolean owns(int partition) {
        return owned.contains(partition);
    }

    /** Loads the states of newly owned partitions (numbers), then drops those of partitions no longer owned. */
    public void take(Collection<Integer> partitions) throws InterruptedException, TimeoutException {
        owned.addAll(partitions);
        long started = System.nanoTime();
        Map<TopicPartition, Long> from = new HashMap<>();
        for (int p : partitions) {
            from.put(new TopicPartition(topic, p), restoredTo.getOrDefault(p, 0L));
        }
        if (!from.isEmpty()) {
            int read = restore(from);
            log.atInfo().setMessage("restored session state of partitions {}: {} records in {} ms")
                    .addArgument(partitions).addArgument(read)
                    .addArgument(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .addKeyValue("records", read).log();
        }
        states.retain(owned);
        restoredTo.keySet().removeIf(p -> !owned.contains(p));
        recount();
    }

    /** The partitions (numbers) are no longer owned; their states are kept until the next {@link #take}. */
    public void release(Collection<Integer> partitions) {
        owned.removeAll(partitions);
    }

    private int restore(Map<TopicPartition, Long> from) throws InterruptedException, TimeoutException {
        restoreConsumer.assign(from.keySet());
        from.forEach(restoreConsumer::seek);
        Map<TopicPartition, Long> end = restoreConsumer.endOffsets(from.keySet(), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        int read = 0;
        Set<TopicPartition> pending = new HashSet<>(from.keySet());
        pending.removeIf(tp -> restoreConsumer.position(tp, timeout) >= end.get(tp));
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("restoring session state from " + topic + " took longer than "
                        + timeout.toMillis() + " ms; partitions left: " + pending);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("restoring session state");
            }
            ConsumerRecords<String, byte[]> records = restoreConsumer.poll(POLL);
            for (ConsumerRecord<String, byte[]> r : records) {
                if (r.value() == null) {
                    states.remove(r.partition(), r.key());
                } else {
                    states.put(r.partition(), r.key(), SessionStateCodec.decode(r.key(), r.value()));
                }
                read++;
            }
            pending.removeIf(tp -> restoreConsumer.position(tp, timeout) >= end.get(tp));
        }
        for (TopicPartition tp : from.keySet()) {
            restoredTo.put(tp.partition(), end.get(tp));
            states.hold(tp.partition());
        }
        restoreConsumer.unsubscribe();
        return read;
    }

    /**
     * Produces the states (session id → state, with the partition of each) and waits until all are acknowledged.
     *
     * @throws Exception the send failure (the batch is then retried)
     */
    public void persist(Map<String, SessionState> changed, Map<String, Integer> partitionOf) throws Exception {
        if (changed.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(changed.size());
        for (Map.Entry<String, SessionState> e : changed.entrySet()) {
            acks.add(producer.send(new ProducerRecord<>(topic, partitionOf.get(e.getKey()), e.getKey(),
                    SessionStateCodec.encode(e.getValue()))));
        }
        awaitAcks(acks);
    }

    /** Makes persisted states the current ones. */
    public void apply(Map<String, SessionState> changed, Map<String, Integer> partitionOf) {
        changed.forEach((sessionId, state) -> states.put(partitionOf.get(sessionId), sessionId, state));
        recount();
    }

    /**
     * Once per retention period: the owned partitions' states that no batch changed since the previous period are
     * removed from the state topic (a tombstone each, acknowledged) and then from memory. Called between batches, on
     * the loop's thread, so the partitions cannot change hands meanwhile (a state of a partition another member owns
     * is never tombstoned). Every key such a state could have cached has expired: its last event is older than the
     * retention, which is at least the longest TTL.
     *
     * @return how many states were evicted
     * @throws Exception the send failure (nothing was dropped from memory; the next call tries again)
     */
    public int evictIdle() throws Exception {
        if (clock.instant().isBefore(nextAging)) {
            return 0;
        }
        Map<Integer, List<String>> idle = states.oldGeneration(owned);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        idle.forEach((partition, sessions) -> {
            for (String sessionId : sessions) {
                acks.add(producer.send(new ProducerRecord<>(topic, partition, sessionId, null)));
            }
        });
        awaitAcks(acks);
        states.age(owned);
        nextAging = clock.instant().plus(retention);
        recount();
        int evicted = acks.size();
        if (evicted > 0) {
            log.atInfo().setMessage("evicted {} session states unchanged for at least {} of partitions {}")
                    .addArgument(evicted).addArgument(retention).addArgument(idle.keySet())
                    .addKeyValue("evicted", evicted).log();
        }
        return evicted;
    }

    private void awaitAcks(List<Future<RecordMetadata>> acks) throws Exception {
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void recount() {
        sessionCount = states.size();
    }

    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(5));
        } finally {
            restoreConsumer.close(Duration.ofSeconds(5));
        }
    }
}
