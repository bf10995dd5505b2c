package dev.mtp.ops.replay;

import dev.mtp.cachestore.CacheErrors;
import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.cachewriter.state.SessionStateCodec;
import dev.mtp.cachewriter.state.StateTopic;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.runtime.consume.SourcedEvent;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * cache-writer's side of a replay. A session key holds the projection of the session's full state, which a range of
 * events alone does not give (the session's create may be older than the range), so the sink starts from the state
 * cache-writer keeps for each session (its compacted state topic, read once), folds the range's events into it with
 * the same {@link SessionFold}, and writes, for every session the range touches, what cache-writer writes: the session
 * key's projection at the state's versions, each interaction's key and the latest response, through cache-store's
 * version-guarded writes with cache-writer's rule for other incarnations ({@code SUPERSEDE}). So a key Redis lost is
 * written back with the state cache-writer holds, a key that holds newer state is left (stale), one that holds this
 * state is a duplicate, and nothing cache-writer would not write is ever written. The replay never produces to the
 * state topic: the live cache-writer owns it.
 *
 * <p>A session the live side has removed since the state was read (its key a tombstone newer than the folded state:
 * deleted, or changed to NONE, after the range) gets none of the range's interaction keys: the tombstone may be a
 * deletion, and a deletion purged what the range would write back. Its events count as stale; should Redis have lost
 * interaction keys of a live session changed to NONE meanwhile, the reconciler restores them.
 *
 * <p>Each event counts as the outcome of the write it drove: an interaction event its interaction key's, a session
 * event its session key's.
 */
public final class CacheReplaySink implements ReplaySink {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final CacheStore store;
    private final CacheKeys keys;
    private final Map<String, byte[]> storedStates;
    private final Map<String, SessionState> states = new HashMap<>();
    private final Incarnation interactionsConsumed;

    CacheReplaySink(CacheStore store, CacheKeys keys, Map<String, byte[]> storedStates,
                    Incarnation interactionsConsumed) {
        this.store = store;
        this.keys = keys;
        this.storedStates = storedStates;
        this.interactionsConsumed = interactionsConsumed;
    }

    static CacheReplaySink open(Config config) {
        CacheStoreSettings settings = CacheStoreSettings.from(config);
        String interactions = PipelineTopics.of(config).interactions().name();
        try (Admin admin = Admin.create(KafkaClients.admin(config))) {
            Incarnation consumed = TopicIncarnations.resolve(admin, List.of(interactions),
                    config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS)).of(interactions);
            Map<String, byte[]> stored = readStates(config);
            return new CacheReplaySink(RedisCacheStore.open(settings, Clock.systemUTC()), settings.keys(), stored,
                    consumed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading cache-writer's session states", e);
        }
    }

    /** cache-writer's state topic as it stands: the latest state of each session, as stored bytes. */
    private static Map<String, byte[]> readStates(Config config) {
        Map<String, Object> props = KafkaClients.common(config, "replay-states");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // cache-writer creates its state topic, compacted and co-partitioned: asking for it must not create it
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Map<String, byte[]> states = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            String topic = StateTopic.name(config);
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return states; // cache-writer never ran: no state
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        states.remove(r.key());
                    } else {
                        states.put(r.key(), r.value());
                    }
                }
            }
        }
        return states;
    }

    @Override
    public Set<TopicRole> topics() {
        return Set.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS);
    }

    @Override
    public Map<Outcome, Long> write(List<SourcedEvent> batch) throws Exception {
        Plan plan = plan(batch, tombstones(batch));
        List<WriteResult> results = store.write(plan.writes).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<Outcome> outcomes = new ArrayList<>(results.size());
        for (WriteResult r : results) {
            if (r.failed() && CacheErrors.CLASSIFIER.isTransient(r.error())) {
                throw new IllegalStateException("Redis is unavailable: " + r.error().getMessage(), r.error());
            }
            outcomes.add(r.failed() ? Outcome.REFUSED : outcome(r.outcome()));
        }
        plan.folded.forEach(states::put);
        return plan.count(outcomes);
    }

    @Override
    public Map<Outcome, Long> judge(List<SourcedEvent> batch) throws Exception {
        Plan plan = plan(batch, tombstones(batch));
        List<String> written = plan.writes.stream().map(this::key).toList();
        List<StoredKey> stored = store.inspect(written).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<Outcome> outcomes = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            VersionVector incoming = versions(plan.writes.get(i));
            outcomes.add(stored.get(i).versions().map(v -> outcome(incoming.decide(v, OtherIncarnations.SUPERSEDE)))
                    .orElse(Outcome.APPLIED));
        }
        plan.folded.forEach(states::put);
        return plan.count(outcomes);
    }

    @Override
    public void close() {
        store.close();
    }

    /** The versions of the batch's sessions whose key is a tombstone now, by session id. */
    private Map<String, VersionVector> tombstones(List<SourcedEvent> batch) throws Exception {
        List<String> sessions = batch.stream().map(e -> e.event().sessionId()).distinct().toList();
        List<StoredKey> stored = store.inspect(sessions.stream().map(keys::session).toList())
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, VersionVector> tombstones = new HashMap<>();
        for (int i = 0; i < sessions.size(); i++) {
            StoredKey key = stored.get(i);
            if (key.isTombstone() && key.versions().isPresent()) {
                tombstones.put(sessions.get(i), key.versions().get());
            }
        }
        return tombstones;
    }

    /**
     * Whether the live side removed the session after the state folded here: its tombstone's sessions version is
     * newer than the state's.
     */
    private static boolean removedSince(SessionState state, VersionVector tombstone) {
        return tombstone != null && VersionRule.decide(tombstone.get(0), state.sessionVersion(),
                OtherIncarnations.KEEP) == VersionRule.Decision.APPLY;
    }

    /** The writes for a batch, as cache-writer's planner derives them, but for every session touched. */
    private Plan plan(List<SourcedEvent> batch, Map<String, VersionVector> tombstones) {
        Map<String, List<SourcedEvent>> bySession = new LinkedHashMap<>();
        batch.forEach(e -> bySession.computeIfAbsent(e.event().sessionId(), s -> new ArrayList<>()).add(e));
        Plan plan = new Plan();
        bySession.forEach((sessionId, events) -> {
            SessionState state = state(sessionId);
            Map<String, SourcedEvent> lastPerInteraction = new LinkedHashMap<>();
            SourcedEvent latest = null;
            for (TopicRole topic : List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS)) {
                for (SourcedEvent e : events) {
                    if (e.topicRole() == topic) {
                        state = SessionFold.apply(state, e.event(), e.version()).state();
                        if (topic == TopicRole.INTERACTIONS) {
                            lastPerInteraction.remove(e.event().entityId());
                            lastPerInteraction.put(e.event().entityId(), e);
                            latest = e;
                        }
                    }
                }
            }
            plan.folded.put(sessionId, state);
            if (removedSince(state, tombstones.get(sessionId))) {
                plan.superseded.addAll(events);
                return;
            }
            if (state.lifecycle() != SessionState.Lifecycle.DELETED) {
                for (SourcedEvent e : lastPerInteraction.values()) {
                    plan.add(CacheWrite.interactionKey(e.event(), e.version(), OtherIncarnations.SUPERSEDE),
                            List.of(e));
                }
                if (latest != null) {
                    plan.add(CacheWrite.latestResponse(latest.event(), latest.version(), OtherIncarnations.SUPERSEDE),
                            List.of(latest));
                }
            }
            CacheWrite session = CacheWrite.session(state, true, OtherIncarnations.SUPERSEDE, interactionsConsumed);
            if (session == null && !state.sessionVersion().isNone()) {
                // as cache-writer: an update of a session without its full record cannot be projected, and an
                // older cached copy of it must not be read as current
                session = new CacheWrite.RemoveSession(sessionId, CacheWrite.sessionVersions(state,
                        interactionsConsumed), false, OtherIncarnations.SUPERSEDE);
            }
            if (session != null) {
                plan.add(session, events);
            }
        });
        return plan;
    }

    private SessionState state(String sessionId) {
        SessionState known = states.get(sessionId);
        if (known != null) {
            return known;
        }
        byte[] stored = storedStates.get(sessionId);
        return stored == null ? SessionState.empty(sessionId) : SessionStateCodec.decode(sessionId, stored);
    }

    private String key(CacheWrite write) {
        return switch (write) {
            case CacheWrite.PutSession w -> keys.session(w.sessionId());
            case CacheWrite.RemoveSession w -> keys.session(w.sessionId());
            case CacheWrite.PurgeSession w -> keys.session(w.sessionId());
            case CacheWrite.PutInteraction w -> keys.interaction(w.sessionId(), w.interactionId());
            case CacheWrite.RemoveInteraction w -> keys.interaction(w.sessionId(), w.interactionId());
            case CacheWrite.PutLatestResponse w -> keys.latestResponse(w.sessionId());
            case CacheWrite.RemoveLatestResponse w -> keys.latestResponse(w.sessionId());
        };
    }

    private static VersionVector versions(CacheWrite write) {
        return switch (write) {
            case CacheWrite.PutSession w -> w.versions();
            case CacheWrite.RemoveSession w -> w.versions();
            case CacheWrite.PurgeSession w -> w.versions();
            case CacheWrite.PutInteraction w -> VersionVector.of(w.version());
            case CacheWrite.RemoveInteraction w -> VersionVector.of(w.version());
            case CacheWrite.PutLatestResponse w -> VersionVector.of(w.version());
            case CacheWrite.RemoveLatestResponse w -> VersionVector.of(w.version());
        };
    }

    private static Outcome outcome(WriteOutcome outcome) {
        return switch (outcome) {
            case WRITTEN, REMOVED, ABSENT, EXPIRED -> Outcome.APPLIED;
            case DUPLICATE -> Outcome.DUPLICATE;
            case STALE, OTHER_INCARNATION -> Outcome.STALE;
        };
    }

    private static Outcome outcome(dev.mtp.common.version.VersionRule.Decision decision) {
        return switch (decision) {
            case APPLY -> Outcome.APPLIED;
            case DUPLICATE -> Outcome.DUPLICATE;
            case STALE, OTHER_INCARNATION -> Outcome.STALE;
        };
    }

    /** A batch's writes, the events behind each, and the sessions' states after the batch. */
    private static final class Plan {
        final List<CacheWrite> writes = new ArrayList<>();
        final List<List<SourcedEvent>> sources = new ArrayList<>();
        final Map<String, SessionState> folded = new LinkedHashMap<>();
        /** Events of sessions the live side removed since: no write, stale. */
        final List<SourcedEvent> superseded = new ArrayList<>();

        void add(CacheWrite write, List<SourcedEvent> events) {
            writes.add(write);
            sources.add(events);
        }

        /** Each event once, as the first write it drove (interaction keys come before their session's key). */
        Map<Outcome, Long> count(List<Outcome> outcomes) {
            Map<SourcedEvent, Outcome> byEvent = new IdentityHashMap<>();
            for (int i = 0; i < outcomes.size(); i++) {
                for (SourcedEvent e : sources.get(i)) {
                    byEvent.putIfAbsent(e, outcomes.get(i));
                }
            }
            Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            byEvent.values().forEach(o -> counts.merge(o, 1L, Long::sum));
            if (!superseded.isEmpty()) {
                counts.merge(Outcome.STALE, (long) superseded.size(), Long::sum);
            }
            return counts;
        }
    }
}
