package dev.mtp.reconciler.topology;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.reconciler.check.CheckPacer;
import dev.mtp.reconciler.check.CheckRunner;
import dev.mtp.reconciler.shadow.ShadowEntrySerde;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.reconciler.check.SyncTracking;
import dev.mtp.runtime.kafka.PartitionCounts;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.util.List;
import java.util.function.Function;

/**
 * The reconciler's topology, built by one function:
 * <pre>
 *   sessions ─────┐                              ┌─▶ ShadowProcessor ──▶ (no output topic: checks and repairs go to Redis)
 *                 ├─ merge ─▶ PartitionGuard ────┤     └  kvshadow  cache key → desired state (with when its check is
 *   interactions ─┘                              │                  due) + what rebuilds the value
 *                                                └─▶ dead-letter topic: records on the wrong partition
 * </pre>
 * The store is persistent (RocksDB) and logged to a changelog topic ({@code <application.id>-kvshadow-changelog}), so
 * any instance can take a task over and a restarted one resumes from its local state. The pending targeted checks are
 * kept in memory per task ({@link DueChecks}), rebuilt when a task starts from the entries' check times above the
 * one up to which every check had run ({@link #CHECKS_DONE_STORE}).
 *
 * <p>Why merge without repartitioning: every persistence topic is keyed by session id with the same partition count
 * (docs/decisions/0001), so partition p of both topics holds the same sessions, and one task owns all keys of a
 * session (they share its hash tag). Evaluations are not read: they are never cached.
 *
 * <p>Each event's version is its offset in the incarnation of its topic the app resolved at start
 * ({@link ProvisionedTopics#incarnations()}, docs/decisions/0012).
 */
public final class ShadowTopology {

    /**
     * Per task, one number: the check time up to which every targeted check stored in an entry has run
     * ({@code DueChecks#doneThrough}), so a done check writes nothing to {@link ShadowStore#NAME}. In memory, restored
     * from its changelog ({@code <application.id>-kvshadow-checks-done-changelog}).
     */
    public static final String CHECKS_DONE_STORE = "kvshadow-checks-done";
    static final String PROCESSOR = "kvshadow-fold-and-check";
    static final String PARTITION_GUARD = "partition-guard";
    static final String DEAD_LETTER_SINK = "dead-letters";

    /**
     * An input event with the bytes it was read from: an interaction key's entry stores those bytes, instead of
     * encoding the event again.
     */
    public record Incoming(EventEnvelope event, byte[] bytes) {}

    /** Decodes as the topics' own serde does (a poison record throws, and is skipped by the exception handler). */
    static final Serde<Incoming> INCOMING = Serdes.serdeFrom(
            (topic, in) -> in == null ? null : in.bytes(),
            (topic, bytes) -> bytes == null ? null : new Incoming(EventCodec.decode(bytes), bytes));

    /** What the processors share: the fold, the check round, the pacer, the recovery signal, metrics, tracking. */
    public record Services(ShadowFold fold, CheckRunner runner, CheckPacer pacer, RecoverySignal recovery,
                           ReconcilerMetrics metrics, SyncTracking tracking) {}

    /**
     * What the partition guard needs: the input topics' partition counts (the contract's partitioner maps keys over
     * them) and the app named in its dead letters.
     */
    public record PartitionCheck(PartitionCounts counts, String appName) {}

    private ShadowTopology() {}

    public static void build(StreamsBuilder builder, ProvisionedTopics provisioned, CheckSettings settings,
                             Services services, PartitionCheck partitionCheck) {
        PersistenceTopics topics = provisioned.names();
        // The shadow is cached (statestore.cache.max.bytes, app.reconciler.state-cache-bytes): changes of a key
        // within a commit interval (an event, its check done) reach RocksDB and the changelog once.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ShadowStore.NAME),
                Serdes.String(), new ShadowEntrySerde()).withCachingEnabled());
        // Written at most once per punctuation; the cache makes it one changelog record per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CHECKS_DONE_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        KStream<String, Incoming> sessions = source(builder, topics.sessions());
        KStream<String, Incoming> interactions = source(builder, topics.interactions());
        List<String> inputs = List.of(topics.sessions().name(), topics.interactions().name());
        // The guard forwards each record to one of its two children by name: the fold, or the dead-letter sink.
        KStream<String, Incoming> guarded = sessions.merge(interactions).processValues(
                () -> new PartitionGuard(inputs, partitionCheck, services.metrics(), topicTag(topics)),
                Named.as(PARTITION_GUARD));
        guarded.to(topics.deadLetter().name(), Produced.with(Serdes.String(), INCOMING).withName(DEAD_LETTER_SINK));
        guarded.process(() -> processor(provisioned, settings, services), Named.as(PROCESSOR), ShadowStore.NAME,
                CHECKS_DONE_STORE);
    }

    /** One task's processor; the tests start one by hand over a given store to play a restarted task. */
    static ShadowProcessor processor(ProvisionedTopics topics, CheckSettings settings, Services services) {
        return new ShadowProcessor(services.fold(), settings, services.runner(), services.pacer(), services.recovery(),
                services.metrics(), services.tracking(), topicTag(topics.names()), topics.incarnations()::of);
    }

    /** The {@code topic} tag of the reconciler's event counts: the input topic's role, without prefix or version. */
    private static Function<String, String> topicTag(PersistenceTopics topics) {
        String sessionsName = topics.sessions().name();
        return topic -> topic.equals(sessionsName) ? "sessions" : "interactions";
    }

    private static KStream<String, Incoming> source(StreamsBuilder builder,
                                                    TopicDescriptor<String, EventEnvelope> topic) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), INCOMING)
                .withName("source-" + topic.role().baseName()));
    }
}
