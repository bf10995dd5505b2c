package dev.mtp.reconciler.topology;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.WrongPartitionException;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.reconciler.check.CheckPacer;
import dev.mtp.reconciler.check.CheckRunner;
import dev.mtp.reconciler.check.DriftJudge;
import dev.mtp.reconciler.check.FakeCache;
import dev.mtp.reconciler.check.RepairPlanner;
import dev.mtp.reconciler.shadow.Desired;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.reconciler.check.SyncTracking;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.runtime.kafka.PartitionCounts;
import dev.mtp.testkit.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology driven by {@link TopologyTestDriver}: no broker, a mocked wall clock, and {@link FakeCache} for Redis
 * (cache-store's encoding and guard rule in memory). The real scripts and a real Redis are in the ITs.
 */
class ShadowTopologyTest {

    static final String S1 = "session-123";
    static final Duration DELAY = Duration.ofSeconds(5);
    static final Duration SWEEP = Duration.ofSeconds(60);

    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final AtomicLong now = new AtomicLong(t0.toEpochMilli());
    final PersistenceTopics topics = PersistenceTopics.withPrefix("t.");
    final CacheKeys keys = new CacheKeys("mtp:");
    final FakeCache redis = new FakeCache(keys, now::get);
    final ReconcilerMetrics metrics = new ReconcilerMetrics(new SimpleMeterRegistry(), Duration.ofMinutes(5), now::get);
    final RecoverySignal recovery = new RecoverySignal();

    @TempDir
    Path stateDir;

    TopologyTestDriver driver;
    TestInputTopic<String, EventEnvelope> sessions;
    TestInputTopic<String, EventEnvelope> interactions;
    KeyValueStore<String, ShadowEntry> shadow;
    CheckSettings settings;
    ShadowTopology.Services services;
    /** The input topics' partition count the partition guard is told; the driver reads every record from partition 0. */
    int partitionCount = 1;

    void start(CheckSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        CheckPacer pacer = new CheckPacer(settings.maxChecksPerSecond(), Duration.ofMillis(50),
                () -> now.get() * 1_000_000);
        CheckRunner runner = new CheckRunner(redis, new DriftJudge(1_000),
                new RepairPlanner(new ValueCodec(true, 256), 300_000, TestVersions.CONSUMED), metrics,
                SyncTracking.NONE);
        this.settings = settings;
        this.services = new ShadowTopology.Services(new ShadowFold(keys, Codecs.DEFAULT), runner, pacer, recovery,
                metrics, SyncTracking.NONE);
        ShadowTopology.build(builder, TestVersions.provisioned(topics), settings, services,
                new ShadowTopology.PartitionCheck(new PartitionCounts(topics -> topics.stream()
                        .collect(Collectors.toMap(topic -> topic, topic -> partitionCount))), "reconciler-test"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reconciler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(builder.build(), props, t0);
        sessions = driver.createInputTopic(topics.sessions().name(), new StringSerializer(),
                topics.sessions().valueSerde().serializer());
        interactions = driver.createInputTopic(topics.interactions().name(), new StringSerializer(),
                topics.interactions().valueSerde().serializer());
        shadow = driver.getKeyValueStore(ShadowStore.NAME);
    }

    void start() {
        start(settings());
    }

    static CheckSettings settings() {
        return new CheckSettings(DELAY, SWEEP, 10_000, 100_000, 100, true, Duration.ofMinutes(10),
                Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200));
    }

    /** S1 created at t0 and its status set to "waiting" 3 s later, within the check delay; the clock at t0 + 3 s. */
    void createAndUpdateThreeSecondsLater() {
        pipe(Events.created(S1, "WITH_CONTEXT", t0));
        advance(Duration.ofSeconds(3));
        pipe(Events.updated(S1, null, t0.plusSeconds(3), "waiting"));
    }

    /** This task stopped (its driver closed) and started again from its stores alone. */
    RestartedTask restartFromTheShadow() {
        return restartFromTheShadow(false);
    }

    /**
     * @param asTheVersionBefore the stores as the version before the done mark left them: no mark, and the entries of
     *                           the checks done with their check time cleared
     */
    RestartedTask restartFromTheShadow(boolean asTheVersionBefore) {
        KeyValueStore<String, Long> checksDone = driver.getKeyValueStore(ShadowTopology.CHECKS_DONE_STORE);
        long done = checksDone.get(ShadowProcessor.DONE_THROUGH);
        List<KeyValue<String, ShadowEntry>> entries = new ArrayList<>();
        try (KeyValueIterator<String, ShadowEntry> all = shadow.all()) {
            all.forEachRemaining(kv -> entries.add(asTheVersionBefore && kv.value.checkAt() <= done
                    ? KeyValue.pair(kv.key, kv.value.withCheckAt(0)) : kv));
        }
        Long doneThrough = asTheVersionBefore ? null : done;
        driver.close();
        driver = null;
        return new RestartedTask(ShadowTopology.processor(TestVersions.provisioned(topics), settings, services),
                entries, doneThrough, now,
                stateDir);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** Advances the mocked wall clock tick by tick, so each punctuation runs as it would. */
    void advance(Duration d) {
        long steps = d.toMillis() / 100;
        for (long i = 0; i < steps; i++) {
            now.addAndGet(100);
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
    }

    void pipe(EventEnvelope e) {
        (e.type().topic() == dev.mtp.common.event.TopicRole.SESSIONS ? sessions : interactions)
                .pipeInput(e.sessionId(), e, e.occurredAt());
    }

    double drift(String kind) {
        return metrics.count("mtp.reconciler.drift", "kind", kind);
    }

    double repairs() {
        return metrics.count("mtp.reconciler.repairs", "outcome", "applied");
    }

    // ------------------------------------------------------------------ targeted checks

    @Test
    void aKeyNobodyWroteIsWrittenByTheTargetedCheckAfterTheDelayAndNotBefore() {
        start();
        pipe(Events.created(S1, "WITH_CONTEXT", t0));

        advance(Duration.ofMillis(4_800));
        assertThat(redis.inspected.get()).isZero();

        advance(Duration.ofMillis(500));
        FakeCache.Held held = redis.get(keys.session(S1));
        assertThat(held).isNotNull();
        assertThat(ValueCodec.header(held.value()).versions()).isEqualTo(
                VersionVector.session(TestVersions.s(0), Version.noneIn(TestVersions.INTERACTIONS)));
        assertThat(held.expireAtMs()).isEqualTo(t0.plus(Duration.ofMinutes(30)).toEpochMilli());
        assertThat(drift("missing")).isEqualTo(1);
        assertThat(repairs()).isEqualTo(1);
    }

    @Test
    void aKeyTheWriterAlreadyWroteIsCheckedOnceAndLeftAlone() {
        start();
        EventEnvelope created = Events.created(S1, "WITH_CONTEXT", t0);
        pipe(created);
        writeAsCacheWriter(SessionFold.apply(SessionState.empty(S1), created, TestVersions.s(0)).state());

        advance(Duration.ofSeconds(6));

        assertThat(redis.inspected.get()).isEqualTo(1);
        assertThat(redis.writes).hasSize(1);
        assertThat(redis.rewrites).isEmpty();
        assertThat(metrics.count("mtp.reconciler.checks", "result", "match")).isEqualTo(1);
        assertThat(metrics.consistencyRatio("session", "WITH_CONTEXT")).isEqualTo(1.0);
    }

    @Test
    void aChangeWithinTheDelayPostponesTheCheckToTheDelayAfterIt() {
        start();
        createAndUpdateThreeSecondsLater();

        advance(Duration.ofMillis(3_000));
        assertThat(redis.inspected.get()).as("checked 6 s after the creation, 3 s after the update").isZero();

        advance(Duration.ofMillis(2_500));
        FakeCache.Held held = redis.get(keys.session(S1));
        assertThat(ValueCodec.decodeSession(S1, held.value()).orElseThrow().toJsonMap())
                .containsEntry("status", "waiting");
        assertThat(redis.inspected.get()).isEqualTo(1);
    }

    @Test
    void interactionKeysAndTheLatestResponseFollowTheirStrategies() {
        start();
        pipe(Events.created(S1, "WITH_CONTEXT", t0));
        pipe(Events.interaction(S1, "int-1", "RESPONSE_ONLY", t0.plusSeconds(1)));
        pipe(Events.interaction(S1, "int-2", "FULL_INTERACTION", t0.plusSeconds(2)));
        pipe(Events.interaction(S1, "int-3", "NONE", t0.plusSeconds(3)));

        advance(Duration.ofSeconds(6));

        assertThat(redis.get(keys.interaction(S1, "int-1")).expireAtMs())
                .isEqualTo(t0.plusSeconds(1).plus(Duration.ofMinutes(30)).toEpochMilli());
        assertThat(redis.get(keys.interaction(S1, "int-2")).expireAtMs())
                .isEqualTo(t0.plusSeconds(2).plus(Duration.ofMinutes(5)).toEpochMilli());
        assertThat(redis.get(keys.interaction(S1, "int-3"))).as("NONE").isNull();
        assertThat(redis.get(keys.latestResponse(S1))).as("the latest interaction is NONE").isNull();
        assertThat(ValueCodec.decodeSession(S1, redis.get(keys.session(S1)).value()).orElseThrow().toJsonMap())
                .containsEntry("interactionCount", 3L);
    }

    @Test
    void aDeletedSessionLosesEveryKey() {
        start();
        pipe(Events.created(S1, "FULL_SESSION", t0));
        pipe(Events.interaction(S1, "int-1", "RESPONSE_ONLY", t0.plusSeconds(1)));
        advance(Duration.ofSeconds(6));
        assertThat(redis.get(keys.interaction(S1, "int-1"))).isNotNull();

        pipe(Events.deleted(S1, t0.plusSeconds(7)));
        advance(Duration.ofSeconds(6));

        assertThat(redis.get(keys.session(S1)).value()).as("a tombstone").startsWith('t');
        assertThat(redis.get(keys.interaction(S1, "int-1"))).isNull();
        assertThat(redis.get(keys.latestResponse(S1))).isNull();
        assertThat(drift("unwanted")).isPositive();
    }

    @Test
    void aRestartedTaskFindsItsPendingChecksInTheShadowAndNotTheDoneOnes() {
        start();
        pipe(Events.created("session-checked", "WITH_CONTEXT", t0));
        advance(Duration.ofSeconds(6));
        assertThat(redis.inspected.get()).as("checked before the restart").isEqualTo(1);
        pipe(Events.created(S1, "WITH_CONTEXT", t0.plusSeconds(6)));
        advance(Duration.ofSeconds(2));

        try (RestartedTask restarted = restartFromTheShadow()) {
            restarted.advance(Duration.ofMillis(2_800));
            assertThat(redis.inspected.get()).as("not before its delay").isEqualTo(1);
            restarted.advance(Duration.ofMillis(500));
        }

        assertThat(redis.get(keys.session(S1))).as("the pending check ran after the restart").isNotNull();
        assertThat(redis.inspected.get()).as("the check done before the restart did not run again").isEqualTo(2);
    }

    @Test
    void aShadowWithoutTheDoneMarkRestartsWithTheChecksItsEntriesHaveStillPending() {
        start();
        pipe(Events.created("session-checked", "WITH_CONTEXT", t0));
        advance(Duration.ofSeconds(6));
        pipe(Events.created(S1, "WITH_CONTEXT", t0.plusSeconds(6)));
        advance(Duration.ofSeconds(2));

        try (RestartedTask restarted = restartFromTheShadow(true)) {
            restarted.advance(Duration.ofMillis(3_300));
        }

        assertThat(redis.get(keys.session(S1))).as("the pending check ran after the upgrade").isNotNull();
        assertThat(redis.inspected.get()).as("the check done before it did not run again").isEqualTo(2);
    }

    @Test
    void aCheckPostponedByALaterChangeIsStillPostponedAfterARestart() {
        start();
        createAndUpdateThreeSecondsLater();
        advance(Duration.ofMillis(2_500));
        assertThat(redis.inspected.get()).as("due 5 s after the creation, put off to 5 s after the update").isZero();

        try (RestartedTask restarted = restartFromTheShadow()) {
            restarted.advance(Duration.ofMillis(2_300));
            assertThat(redis.inspected.get()).as("not before 5 s after the update").isZero();
            restarted.advance(Duration.ofMillis(500));
        }

        assertThat(ValueCodec.decodeSession(S1, redis.get(keys.session(S1)).value()).orElseThrow().toJsonMap())
                .containsEntry("status", "waiting");
        assertThat(redis.inspected.get()).isEqualTo(1);
    }

    @Test
    void strategyNoneRemovesTheCachedCopy() {
        start();
        pipe(Events.created(S1, "WITH_CONTEXT", t0));
        advance(Duration.ofSeconds(6));
        pipe(Events.updated(S1, "NONE", t0.plusSeconds(6), (String) null));
        advance(Duration.ofSeconds(6));

        assertThat(ValueCodec.header(redis.get(keys.session(S1)).value()).isTombstone()).isTrue();
    }

    @Test
    void aKeyWhoseTtlHasPassedIsNeverBroughtBack() {
        start();
        Instant longAgo = t0.minus(Duration.ofHours(2));
        pipe(Events.created("s-old", "CRITICAL_ONLY", longAgo));
        pipe(Events.created(S1, "CRITICAL_ONLY", longAgo));
        // The interaction's own key (5 min) has expired; it keeps the session (1 h after it) alive.
        pipe(Events.interaction(S1, "int-old", "FULL_INTERACTION", t0.minus(Duration.ofMinutes(6))));

        advance(Duration.ofSeconds(70));

        assertThat(redis.all()).containsOnlyKeys(keys.session(S1));
        assertThat(redis.get(keys.session(S1)).expireAtMs())
                .isEqualTo(t0.minus(Duration.ofMinutes(6)).plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(metrics.count("mtp.reconciler.checks", "result", "match")).isPositive();
    }

    // ------------------------------------------------------------------ drift at the versions Redis holds

    @Test
    void aValueWithoutItsTtlIsRewrittenWithIt() {
        start();
        EventEnvelope created = Events.created(S1, "WITH_CONTEXT", t0);
        pipe(created);
        writeAsCacheWriter(SessionFold.apply(SessionState.empty(S1), created, TestVersions.s(0)).state());
        FakeCache.Held held = redis.get(keys.session(S1));
        redis.put(keys.session(S1), held.value(), -1);

        advance(Duration.ofSeconds(6));

        assertThat(drift("ttl")).isEqualTo(1);
        assertThat(redis.rewrites).containsExactly(keys.session(S1));
        assertThat(redis.get(keys.session(S1)).expireAtMs()).isEqualTo(held.expireAtMs());
    }

    @Test
    void wrongContentAtTheRightVersionIsRewritten() {
        start();
        EventEnvelope created = Events.created(S1, "WITH_CONTEXT", t0);
        pipe(created);
        SessionState state = SessionFold.apply(SessionState.empty(S1), created, TestVersions.s(0)).state();
        SessionState tampered = SessionFold.apply(state, Events.updated(S1, null, t0, "tampered"),
                TestVersions.s(1)).state();
        // Other content under the same versions [0,-1]: the guard would call a repair a duplicate.
        redis.put(keys.session(S1), new ValueCodec(true, 256).session(
                dev.mtp.common.projection.SessionProjection.of(tampered).orElseThrow(),
                VersionVector.session(TestVersions.s(0), Version.NONE)),
                t0.plus(Duration.ofMinutes(30)).toEpochMilli());

        advance(Duration.ofSeconds(6));

        assertThat(drift("value")).isEqualTo(1);
        assertThat(ValueCodec.decodeSession(S1, redis.get(keys.session(S1)).value()).orElseThrow().toJsonMap())
                .containsEntry("status", "active");
    }

    @Test
    void redisAheadOfTheShadowIsNotDrift() {
        start();
        pipe(Events.created(S1, "WITH_CONTEXT", t0));
        redis.put(keys.session(S1), "j2:9.SessNow0,-1|{}".getBytes(StandardCharsets.US_ASCII),
                t0.plus(Duration.ofMinutes(30)).toEpochMilli());

        advance(Duration.ofSeconds(6));

        assertThat(metrics.count("mtp.reconciler.checks", "result", "ahead")).isEqualTo(1);
        assertThat(repairs()).isZero();
    }

    @Test
    void anInteractionOfASessionRedisShowsDeletedIsNotWrittenWhileTheShadowHasNotSeenTheDeletion() {
        start();
        pipe(Events.created(S1, "WITH_CONTEXT", t0));
        pipe(Events.interaction(S1, "int-1", "RESPONSE_ONLY", t0));
        // cache-writer folded the deletion (sessions offset 1) first and never wrote the interaction; the shadow
        // has not read the deletion yet.
        redis.put(keys.session(S1), ValueCodec.tombstone(
                VersionVector.session(TestVersions.s(1), TestVersions.i(0))), now.get() + 300_000);

        advance(Duration.ofSeconds(6));

        assertThat(redis.get(keys.interaction(S1, "int-1"))).isNull();
        assertThat(redis.get(keys.latestResponse(S1))).isNull();
        // judged again every backoff while the shadow is behind, never written
        assertThat(metrics.count("mtp.reconciler.checks", "result", "ahead")).isGreaterThan(3);
        assertThat(repairs()).isZero();

        pipe(Events.deleted(S1, t0.plusSeconds(1)));
        advance(Duration.ofSeconds(6));

        assertThat(repairs()).isZero();
        assertThat(redis.get(keys.interaction(S1, "int-1"))).isNull();
        assertThat(drift("missing") + drift("unwanted")).isZero();
    }

    @Test
    void withRepairOffDriftIsCountedAndRedisUntouched() {
        start(settings().withRepair(false));
        pipe(Events.created(S1, "WITH_CONTEXT", t0));

        advance(Duration.ofSeconds(6));

        assertThat(drift("missing")).isEqualTo(1);
        assertThat(metrics.count("mtp.reconciler.repairs", "outcome", "reported")).isEqualTo(1);
        assertThat(redis.all()).isEmpty();
    }

    // ------------------------------------------------------------------ sweep and recovery

    @Test
    void theSweepFindsAKeyDeletedByHandWithinOnePeriod() {
        start();
        for (int i = 0; i < 50; i++) {
            pipe(Events.created("s-" + i, "CRITICAL_ONLY", t0));
        }
        advance(Duration.ofSeconds(6));
        assertThat(redis.all()).hasSize(50);
        redis.delete(keys.session("s-7"));

        advance(SWEEP.plusSeconds(2));

        assertThat(redis.get(keys.session("s-7"))).isNotNull();
        assertThat(metrics.count("mtp.reconciler.checks", "source", "sweep")).isGreaterThanOrEqualTo(50);
        assertThat(metrics.count("mtp.reconciler.sweeps", "mode", "sweep")).isPositive();
    }

    @Test
    void aDataLossSignalChecksEveryKeyAtOnce() {
        start();
        for (int i = 0; i < 300; i++) {
            pipe(Events.created("s-" + i, "CRITICAL_ONLY", t0));
            pipe(Events.interaction("s-" + i, "int-" + i, "RESPONSE_ONLY", t0));
        }
        advance(Duration.ofSeconds(6));
        int live = redis.all().size();
        assertThat(live).isEqualTo(900);

        redis.flushAll();
        recovery.dataLost();
        advance(Duration.ofSeconds(1));

        assertThat(redis.all()).hasSize(live);
        assertThat(metrics.count("mtp.reconciler.sweeps", "mode", "recovery")).isEqualTo(1);
        assertThat(recovery.recovering()).isFalse();
    }

    @Test
    void whileRedisIsDownChecksWaitAndRetry() {
        start();
        redis.down = true;
        pipe(Events.created(S1, "WITH_CONTEXT", t0));
        advance(Duration.ofSeconds(8));
        assertThat(metrics.count("mtp.reconciler.redis.errors")).isPositive();

        redis.down = false;
        advance(Duration.ofSeconds(2));

        assertThat(redis.get(keys.session(S1))).isNotNull();
    }

    @Test
    void anInteractionKeyLeavesTheShadowAfterItsExpiryAndTheRetentionTheSessionStays() {
        start(settings().withSweepPeriod(Duration.ofSeconds(10)));
        pipe(Events.created(S1, "CRITICAL_ONLY", t0));
        pipe(Events.interaction(S1, "int-1", "FULL_INTERACTION", t0));
        advance(Duration.ofSeconds(6));
        assertThat(shadow.get(keys.interaction(S1, "int-1"))).isNotNull();

        advance(Duration.ofMinutes(5).plus(Duration.ofMinutes(10)).plusSeconds(15));

        assertThat(shadow.get(keys.interaction(S1, "int-1"))).isNull();
        assertThat(shadow.get(keys.latestResponse(S1))).isNull();
        assertThat(shadow.get(keys.session(S1))).isNotNull();
        assertThat(shadow.get(keys.session(S1)).desired().presence()).isEqualTo(Desired.Presence.PRESENT);
    }

    // ------------------------------------------------------------------ incarnations (docs/decisions/0012)

    /** S1's session entry as an earlier life of the sessions topic left it, at offsets far above today's. */
    ShadowEntry earlierLifeEntry() {
        SessionState earlier = SessionFold.apply(SessionState.empty(S1), Events.created(S1, "WITH_CONTEXT", t0),
                Version.of(TestVersions.EARLIER_SESSIONS, 900)).state();
        return ShadowEntry.session(keys.session(S1), earlier, ShadowFold.sessionDesired(earlier, Codecs.DEFAULT),
                now.get());
    }

    @Test
    void theFirstEventConsumedNowSupersedesAnEntryOfAnEarlierLifeAndIsCountedApart() {
        start();
        shadow.put(keys.session(S1), earlierLifeEntry());

        pipe(Events.updated(S1, null, t0.plusSeconds(1), "waiting"));

        SessionState state = shadow.get(keys.session(S1)).state();
        assertThat(state.sessionVersion()).isEqualTo(TestVersions.s(0));
        assertThat(state.status()).isEqualTo("waiting");
        assertThat(metrics.count("mtp.reconciler.events", "outcome", "superseded_incarnation")).isEqualTo(1);
        pipe(Events.updated(S1, null, t0.plusSeconds(2), "active"));
        assertThat(metrics.count("mtp.reconciler.events", "outcome", "apply")).isEqualTo(1);
    }

    @Test
    void aValueOfAnotherIncarnationWithHigherOffsetsIsDriftAndRepaired() {
        start();
        EventEnvelope created = Events.created(S1, "WITH_CONTEXT", t0);
        pipe(created);
        ShadowEntry earlier = earlierLifeEntry();
        redis.put(keys.session(S1), new ValueCodec(true, 256).session(
                dev.mtp.common.projection.SessionProjection.of(earlier.state()).orElseThrow(),
                earlier.desired().versions()), t0.plus(Duration.ofMinutes(30)).toEpochMilli());

        advance(Duration.ofSeconds(6));

        assertThat(drift("other_incarnation")).isEqualTo(1);
        assertThat(metrics.count("mtp.reconciler.checks", "result", "ahead")).isZero();
        assertThat(repairs()).isEqualTo(1);
        assertThat(ValueCodec.header(redis.get(keys.session(S1)).value()).versions())
                .isEqualTo(VersionVector.session(TestVersions.s(0), Version.noneIn(TestVersions.INTERACTIONS)));
    }

    @Test
    void anEntryOfAnEarlierLifeNeverTakesACurrentValueBack() throws Exception {
        start();
        shadow.put(keys.session(S1), earlierLifeEntry());
        // cache-writer consumed the current life's first event; the shadow has not folded it yet.
        SessionState current = SessionFold.apply(SessionState.empty(S1), Events.created(S1, "FULL_SESSION", t0),
                TestVersions.s(0)).state();
        writeAsCacheWriter(current);
        byte[] written = redis.get(keys.session(S1)).value();

        advance(SWEEP.plusSeconds(6));

        assertThat(drift("other_incarnation")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.count("mtp.reconciler.repairs", "outcome", "kept")).isGreaterThanOrEqualTo(1);
        assertThat(repairs()).isZero();
        assertThat(redis.get(keys.session(S1)).value()).isEqualTo(written);
    }

    @Test
    void aPoisonRecordIsSkippedAndTheNextEventFolds() {
        start();
        driver.createInputTopic(topics.sessions().name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(S1, "not json {".getBytes(StandardCharsets.UTF_8));
        pipe(Events.created(S1, "WITH_CONTEXT", t0));

        advance(Duration.ofSeconds(6));

        assertThat(redis.get(keys.session(S1))).isNotNull();
    }

    @Test
    void anEventUnderAnotherSessionsKeyIsSkipped() {
        start();
        sessions.pipeInput("someone-else", Events.created(S1, "WITH_CONTEXT", t0), t0);

        advance(Duration.ofSeconds(6));

        assertThat(shadow.get(keys.session(S1))).isNull();
        assertThat(metrics.count("mtp.reconciler.events", "outcome", "skipped")).isEqualTo(1);
    }

    @Test
    void anEventOnAnotherPartitionThanItsKeysIsDeadLetteredWithTheReasonCountedAndNotFolded() {
        partitionCount = 2;
        start();
        String elsewhere = keyOnPartition(1);
        String here = keyOnPartition(0);
        EventEnvelope misplaced = Events.created(elsewhere, "WITH_CONTEXT", t0);
        pipe(misplaced);
        pipe(Events.created(here, "WITH_CONTEXT", t0));

        advance(Duration.ofSeconds(6));

        TestOutputTopic<String, byte[]> deadLetters = driver.createOutputTopic(topics.deadLetter().name(),
                new StringDeserializer(), new ByteArrayDeserializer());
        TestRecord<String, byte[]> letter = deadLetters.readRecord();
        assertThat(letter.key()).isEqualTo(elsewhere);
        assertThat(letter.value()).as("the record's bytes as read").isEqualTo(topics.sessions().valueSerde()
                .serializer().serialize(topics.sessions().name(), misplaced));
        assertThat(header(letter, DeadLetterPublisher.ERROR_CLASS)).isEqualTo(WrongPartitionException.class.getName());
        assertThat(header(letter, DeadLetterPublisher.ERROR_MESSAGE)).startsWith("partition: the record's key maps to"
                + " partition 1 of " + topics.sessions().name() + " (2 partitions, murmur2 of the key as the Java"
                + " client's default partitioner), but it is on partition 0 at offset 0");
        assertThat(header(letter, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo(topics.sessions().name());
        assertThat(header(letter, DeadLetterPublisher.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(letter, DeadLetterPublisher.APP)).isEqualTo("reconciler-test");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(shadow.get(keys.session(elsewhere))).isNull();
        assertThat(redis.get(keys.session(elsewhere))).isNull();
        assertThat(shadow.get(keys.session(here))).isNotNull();
        assertThat(metrics.count("mtp.reconciler.events", "topic", "sessions", "outcome", "wrong_partition")).isEqualTo(1);
    }

    @Test
    void eventsWhereTheirKeysMapToWriteNoDeadLetter() {
        start();
        createAndUpdateThreeSecondsLater();

        advance(Duration.ofSeconds(6));

        assertThat(driver.createOutputTopic(topics.deadLetter().name(), new StringDeserializer(),
                new ByteArrayDeserializer()).isEmpty()).isTrue();
        assertThat(metrics.count("mtp.reconciler.events", "outcome", "wrong_partition")).isZero();
    }

    private static String keyOnPartition(int partition) {
        for (int i = 0; ; i++) {
            if (ContractPartitioner.partitionOf("session-" + i, 2) == partition) {
                return "session-" + i;
            }
        }
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private void writeAsCacheWriter(SessionState state) {
        try {
            redis.write(java.util.List.of(CacheWrite.session(state, false, OtherIncarnations.SUPERSEDE,
                    TestVersions.INTERACTIONS)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
