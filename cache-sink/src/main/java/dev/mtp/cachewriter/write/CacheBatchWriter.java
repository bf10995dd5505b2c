package dev.mtp.cachewriter.write;

import dev.mtp.cachestore.CacheErrors;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.cachewriter.plan.BatchPlan;
import dev.mtp.cachewriter.plan.BatchPlanner;
import dev.mtp.cachewriter.state.SessionStateStore;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.runtime.consume.BatchWriter;
import dev.mtp.runtime.consume.SourcedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * cache-writer's side of the consume loop. Per batch:
 * <ol>
 *   <li>plan: fold the events into the sessions' states and derive the cache writes ({@link BatchPlanner}), without
 *       changing any state yet;</li>
 *   <li>write the plan to Redis as one pipeline, and wait for every reply; if any write failed for a transient reason
 *       (Redis down, timeout), throw: the loop backs off and retries the whole batch, which plans the same writes
 *       again from the unchanged states (the guard skips what already landed);</li>
 *   <li>persist the changed states to the state topic and wait for the acknowledgements;</li>
 *   <li>apply the states in memory, and return the events of writes Redis refused for good (wrong key type, ...): the
 *       loop dead-letters them and commits.</li>
 * </ol>
 * Order matters for a crash: Redis is written before the states, so a state never runs ahead of the cache it
 * describes; if the process dies after persisting the states but before the commit, the redelivered events are
 * duplicates of the states, whose writes already landed.
 */
public final class CacheBatchWriter implements BatchWriter {

    private static final Logger log = LoggerFactory.getLogger(CacheBatchWriter.class);

    private final CacheStore store;
    /** The incarnation of the interactions topic consumed: a session without interactions has none in it. */
    private final Incarnation interactionsConsumed;
    private final SessionStateStore states;
    private final Set<String> eventTopics;
    private final Duration redisTimeout;
    private final CacheWriterMetrics metrics;

    /**
     * @param eventTopics  the consumed topics, which must be assigned co-partitioned (same partition numbers)
     * @param redisTimeout longest wait for one batch's pipeline
     */
    public CacheBatchWriter(CacheStore store, SessionStateStore states, List<? extends TopicDescriptor<?, ?>> eventTopics,
                            Incarnation interactionsConsumed, Duration redisTimeout, MeterRegistry registry) {
        this.store = store;
        this.interactionsConsumed = interactionsConsumed;
        this.states = states;
        this.eventTopics = eventTopics.stream().map(TopicDescriptor::name).collect(Collectors.toSet());
        this.redisTimeout = redisTimeout;
        this.metrics = new CacheWriterMetrics(registry);
    }

    @Override
    public List<Rejected> write(List<SourcedEvent> batch) throws Exception {
        metrics.evicted.increment(states.evictIdle());
        for (SourcedEvent e : batch) {
            if (!states.owns(e.partition())) {
                throw new IllegalStateException("event of partition " + e.partition() + " of " + e.topic()
                        + " arrived, but the session state of that partition was not taken");
            }
        }
        BatchPlan plan = BatchPlanner.plan(batch, states::get, interactionsConsumed);
        long t0 = System.nanoTime();
        List<WriteResult> results = store.write(plan.writes()).get(redisTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        metrics.redis(Duration.ofNanos(System.nanoTime() - t0));
        for (WriteResult r : results) {
            if (r.failed() && CacheErrors.CLASSIFIER.isTransient(r.error())) {
                throw new TransientCacheException(r.error());
            }
        }
        long t1 = System.nanoTime();
        states.persist(plan.changed(), plan.partitionOf());
        metrics.state.record(Duration.ofNanos(System.nanoTime() - t1));
        states.apply(plan.changed(), plan.partitionOf());
        metrics.decisions(plan);
        logStale(plan);
        metrics.results(results);
        return rejected(plan, results);
    }

    /**
     * Stale events (a lower offset than the state holds, in the same incarnation) come only from a replay: offsets
     * reset, or events redelivered after a crash between producing the states and committing (docs/decisions/0003).
     * One line per batch that had any, beside {@code mtp_cache_events_total{decision="stale"}}.
     */
    private static void logStale(BatchPlan plan) {
        int sessions = plan.decided(TopicRole.SESSIONS, Decision.STALE);
        int interactions = plan.decided(TopicRole.INTERACTIONS, Decision.STALE);
        if (sessions + interactions > 0) {
            log.atInfo().setMessage("skipped stale events, older than the session states in the same incarnation (a "
                            + "replay): {} of the sessions topic, {} of the interactions topic")
                    .addArgument(sessions).addArgument(interactions).log();
        }
    }

    private static List<Rejected> rejected(BatchPlan plan, List<WriteResult> results) {
        Map<SourcedEvent, Throwable> refused = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            WriteResult r = results.get(i);
            if (r.failed()) {
                log.atWarn().setMessage("Redis refused a write of session {}: {}").addArgument(r.write().sessionId())
                        .addArgument(r.error().getMessage()).log();
                for (SourcedEvent e : plan.sources().get(i)) {
                    refused.putIfAbsent(e, r.error());
                }
            }
        }
        List<Rejected> rejected = new ArrayList<>(refused.size());
        refused.forEach((e, error) -> rejected.add(new Rejected(e, error)));
        return rejected;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) throws Exception {
        Map<String, Set<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition());
        }
        Set<Integer> numbers = new TreeSet<>();
        byTopic.values().forEach(numbers::addAll);
        for (String topic : eventTopics) {
            if (!partitions.isEmpty() && !byTopic.getOrDefault(topic, Set.of()).equals(numbers)) {
                throw new IllegalStateException("cache-writer needs the same partition numbers of every consumed topic "
                        + "(a session's events and state live on one partition number); assigned " + byTopic
                        + ". Use the consumer's default RangeAssignor.");
            }
        }
        states.take(numbers);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        states.release(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
    }

    /** A write failed for a reason that retrying can fix; the loop retries the batch. */
    static final class TransientCacheException extends RuntimeException {
        TransientCacheException(Throwable cause) {
            super("Redis is unavailable: " + cause.getMessage(), cause);
        }
    }
}
