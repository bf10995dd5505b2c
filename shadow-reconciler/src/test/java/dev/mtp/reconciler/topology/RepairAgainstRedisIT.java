package dev.mtp.reconciler.topology;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.reconciler.check.CheckPacer;
import dev.mtp.reconciler.check.CheckRunner;
import dev.mtp.reconciler.check.DriftJudge;
import dev.mtp.reconciler.check.RepairPlanner;
import dev.mtp.reconciler.redis.CacheStorePort;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.reconciler.check.SyncTracking;
import dev.mtp.runtime.kafka.PartitionCounts;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of drift repaired in a real Redis by cache-store's real scripts: the topology under
 * {@link TopologyTestDriver} (no broker), Redis for real. The mocked wall clock starts at the real time, so the
 * expiries the reconciler writes are the ones Redis enforces.
 */
@RealServers
class RepairAgainstRedisIT {

    static final String S = "session-123";

    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    final PersistenceTopics topics = PersistenceTopics.withPrefix("t.");
    final ReconcilerMetrics metrics = ReconcilerMetrics.inMemory();

    @TempDir
    Path stateDir;

    RedisCacheStore store;
    StatefulRedisConnection<String, byte[]> cas;
    CacheKeys keys;
    RedisCommands<String, String> redis;
    TopologyTestDriver driver;
    TestInputTopic<String, EventEnvelope> sessions;
    TestInputTopic<String, EventEnvelope> interactions;

    void start(TestNamespace ns) {
        start(ns, ShadowTopologyTest.settings());
    }

    void start(TestNamespace ns, CheckSettings checks) {
        CacheStoreSettings settings = CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix());
        keys = settings.keys();
        store = RedisCacheStore.open(settings, Clock.systemUTC());
        cas = ns.redisClient().connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        redis = ns.redis().sync();
        CheckRunner runner = new CheckRunner(new CacheStorePort(store, cas, settings.commandTimeout()),
                new DriftJudge(1_000), new RepairPlanner(settings.codec(), settings.tombstoneTtl().toMillis(),
                        TestVersions.CONSUMED), metrics, SyncTracking.NONE);
        StreamsBuilder builder = new StreamsBuilder();
        ShadowTopology.build(builder, TestVersions.provisioned(topics), checks, new ShadowTopology.Services(
                new ShadowFold(keys, Codecs.DEFAULT), runner, new CheckPacer(10_000, Duration.ofMillis(50), System::nanoTime),
                new RecoverySignal(), metrics, SyncTracking.NONE),
                new ShadowTopology.PartitionCheck(new PartitionCounts(topics -> topics.stream()
                        .collect(Collectors.toMap(topic -> topic, topic -> 1))), "repair-it"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "repair-it");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, t0);
        sessions = driver.createInputTopic(topics.sessions().name(), new StringSerializer(),
                topics.sessions().valueSerde().serializer());
        interactions = driver.createInputTopic(topics.interactions().name(), new StringSerializer(),
                topics.interactions().valueSerde().serializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (cas != null) {
            cas.close();
        }
        if (store != null) {
            store.close();
        }
    }

    void pipe(EventEnvelope e) {
        (e.type().topic() == TopicRole.SESSIONS ? sessions : interactions).pipeInput(e.sessionId(), e, e.occurredAt());
    }

    void advance(Duration d) {
        for (long i = 0; i < d.toMillis() / 100; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
    }

    double drift(String kind) {
        return metrics.count("mtp.reconciler.drift", "kind", kind);
    }

    @Test
    void missingStaleTtlValueAndUnwantedAreRepairedAndAheadIsLeftAlone(TestNamespace ns) throws Exception {
        start(ns);
        // missing: nobody wrote these
        pipe(Events.created(S, "WITH_CONTEXT", t0));
        pipe(Events.interaction(S, "int-1", "RESPONSE_ONLY", t0.plusMillis(10)));
        advance(Duration.ofSeconds(6));
        String sessionKey = keys.session(S);
        assertThat(ValueCodec.decodeSession(S, store.inspect(sessionKey).get().value()).orElseThrow().toJsonMap())
                .containsEntry("interactionCount", 1L).containsEntry("status", "active");
        assertThat(redis.pexpiretime(sessionKey)).isEqualTo(t0.plusMillis(10).plus(Duration.ofMinutes(30)).toEpochMilli());
        assertThat(redis.pexpiretime(keys.interaction(S, "int-1"))).isEqualTo(
                t0.plusMillis(10).plus(Duration.ofMinutes(30)).toEpochMilli());
        assertThat(redis.exists(keys.latestResponse(S))).isEqualTo(1);
        assertThat(drift("missing")).isEqualTo(3);

        // stale: an update cache-writer never wrote
        pipe(Events.updated(S, null, t0.plusSeconds(6), "waiting"));
        advance(Duration.ofSeconds(6));
        assertThat(ValueCodec.decodeSession(S, store.inspect(sessionKey).get().value()).orElseThrow().toJsonMap())
                .containsEntry("status", "waiting");
        assertThat(drift("stale")).isEqualTo(1);

        // ttl: stripped by hand, found by the sweep (no event points at it)
        redis.persist(sessionKey);
        advance(ShadowTopologyTest.SWEEP.plusSeconds(2));
        assertThat(redis.pexpiretime(sessionKey)).isEqualTo(t0.plusSeconds(6).plus(Duration.ofMinutes(30)).toEpochMilli());
        assertThat(drift("ttl")).isEqualTo(1);

        // value: other content under the right versions
        SessionState s = SessionFold.apply(SessionState.empty(S), Events.created(S, "WITH_CONTEXT", t0),
                TestVersions.s(0)).state();
        byte[] forged = new ValueCodec(false, 0).session(SessionProjection.of(s).orElseThrow(),
                VersionVector.session(TestVersions.s(1), TestVersions.i(0)));
        cas.sync().set(sessionKey, forged, io.lettuce.core.SetArgs.Builder.pxAt(redis.pexpiretime(sessionKey)));
        advance(ShadowTopologyTest.SWEEP.plusSeconds(2));
        assertThat(ValueCodec.decodeSession(S, store.inspect(sessionKey).get().value()).orElseThrow().toJsonMap())
                .containsEntry("status", "waiting");
        assertThat(drift("value")).isEqualTo(1);

        // unwanted: strategy NONE, and cache-writer did not remove the copy
        pipe(Events.updated(S, "NONE", t0.plusSeconds(20), (String) null));
        advance(Duration.ofSeconds(6));
        assertThat(store.inspect(sessionKey).get().isTombstone()).isTrue();
        assertThat(drift("unwanted")).isEqualTo(1);

        assertThat(metrics.count("mtp.reconciler.repairs", "outcome", "applied")).isEqualTo(7);
    }

    @Test
    void aWriterAheadOfTheShadowIsNeverTakenBack(TestNamespace ns) throws Exception {
        start(ns);
        EventEnvelope created = Events.created(S, "WITH_CONTEXT", t0);
        pipe(created);
        // cache-writer already applied an update the reconciler has not read yet (offset 1).
        SessionState s0 = SessionFold.apply(SessionState.empty(S), created, TestVersions.s(0)).state();
        SessionState s1 = SessionFold.apply(s0, Events.updated(S, null, t0.plusSeconds(1), "waiting"),
                TestVersions.s(1)).state();
        store.write(List.of(CacheWrite.session(s1, false, OtherIncarnations.SUPERSEDE, TestVersions.INTERACTIONS))).get();

        advance(Duration.ofSeconds(6));

        assertThat(ValueCodec.decodeSession(S, store.inspect(keys.session(S)).get().value()).orElseThrow().toJsonMap())
                .containsEntry("status", "waiting");
        assertThat(metrics.count("mtp.reconciler.checks", "result", "ahead")).isEqualTo(1);
        assertThat(metrics.count("mtp.reconciler.repairs")).isZero();
    }

    @Test
    void aKeyLostWhileRedisIsAheadOfTheShadowIsRepairedOnceTheShadowCatchesUp(TestNamespace ns) throws Exception {
        start(ns, ShadowTopologyTest.settings().withSweepPeriod(Duration.ofHours(1))); // no sweep finds int-1 by chance
        EventEnvelope created = Events.created(S, "WITH_CONTEXT", t0);
        EventEnvelope first = Events.interaction(S, "int-1", "RESPONSE_ONLY", t0.plusMillis(10));
        EventEnvelope second = Events.interaction(S, "int-2", "RESPONSE_ONLY", t0.plusSeconds(1));
        pipe(created);
        pipe(first);
        // cache-writer applied a second interaction the reconciler has not read yet, and int-1's key is lost: its
        // check finds Redis's session key ahead of the shadow, so it cannot judge int-1 yet.
        SessionState s = SessionFold.apply(SessionState.empty(S), created, TestVersions.s(0)).state();
        s = SessionFold.apply(s, first, TestVersions.i(0)).state();
        s = SessionFold.apply(s, second, TestVersions.i(1)).state();
        store.write(List.of(CacheWrite.session(s, false, OtherIncarnations.SUPERSEDE, TestVersions.INTERACTIONS))).get();
        advance(Duration.ofSeconds(6));
        assertThat(redis.exists(keys.interaction(S, "int-1"))).isZero();
        assertThat(metrics.count("mtp.reconciler.checks", "result", "ahead")).isGreaterThanOrEqualTo(1);

        // The shadow catches up. That changes the session's and int-2's entries, not int-1's.
        pipe(second);
        advance(Duration.ofSeconds(8));

        assertThat(redis.pexpiretime(keys.interaction(S, "int-1"))).isEqualTo(
                t0.plusMillis(10).plus(Duration.ofMinutes(30)).toEpochMilli());
    }

    @Test
    void aValueOfAnotherIncarnationWithHigherOffsetsIsRepairedByTheRealGuard(TestNamespace ns) throws Exception {
        start(ns);
        // Redis kept the session from an earlier life of the topic, at offsets far above the new life's.
        SessionState earlier = SessionFold.apply(SessionState.empty(S), Events.created(S, "FULL_SESSION", t0),
                Version.of(TestVersions.EARLIER_SESSIONS, 900)).state();
        store.write(List.of(CacheWrite.session(earlier, false, OtherIncarnations.SUPERSEDE,
                TestVersions.EARLIER_INTERACTIONS))).get();

        pipe(Events.created(S, "WITH_CONTEXT", t0));
        advance(Duration.ofSeconds(6));

        assertThat(drift("other_incarnation")).isEqualTo(1);
        assertThat(metrics.count("mtp.reconciler.repairs", "outcome", "applied")).isEqualTo(1);
        assertThat(store.inspect(keys.session(S)).get().versions()).contains(
                VersionVector.session(TestVersions.s(0), Version.noneIn(TestVersions.INTERACTIONS)));
    }

    @Test
    void anEntryOfAnEarlierLifeNeverTakesACurrentValueBack(TestNamespace ns) throws Exception {
        start(ns);
        // The shadow's entry is of an earlier life (the reconciler has not folded the new life's event yet), and
        // cache-writer already wrote the session from the life consumed now.
        SessionState earlier = SessionFold.apply(SessionState.empty(S), Events.created(S, "FULL_SESSION", t0),
                Version.of(TestVersions.EARLIER_SESSIONS, 900)).state();
        KeyValueStore<String, ShadowEntry> shadow = driver.getKeyValueStore(ShadowStore.NAME);
        shadow.put(keys.session(S), ShadowEntry.session(keys.session(S), earlier,
                ShadowFold.sessionDesired(earlier, Codecs.DEFAULT), t0.toEpochMilli()));
        SessionState current = SessionFold.apply(SessionState.empty(S), Events.created(S, "WITH_CONTEXT", t0),
                TestVersions.s(0)).state();
        store.write(List.of(CacheWrite.session(current, false, OtherIncarnations.SUPERSEDE, TestVersions.INTERACTIONS))).get();
        byte[] written = store.inspect(keys.session(S)).get().value();

        advance(ShadowTopologyTest.SWEEP.plusSeconds(2));

        assertThat(drift("other_incarnation")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.count("mtp.reconciler.repairs", "outcome", "kept")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.count("mtp.reconciler.repairs", "outcome", "applied")).isZero();
        assertThat(store.inspect(keys.session(S)).get().value()).isEqualTo(written);
    }

    @Test
    void aDeletedSessionIsPurgedWithItsInteractionsAndNothingExpiredComesBack(TestNamespace ns) throws Exception {
        start(ns);
        pipe(Events.created(S, "FULL_SESSION", t0));
        pipe(Events.interaction(S, "int-1", "RESPONSE_ONLY", t0));
        pipe(Events.interaction(S, "int-old", "FULL_INTERACTION", t0.minus(Duration.ofMinutes(6))));
        advance(Duration.ofSeconds(6));
        assertThat(redis.exists(keys.interaction(S, "int-1"))).isEqualTo(1);
        assertThat(redis.exists(keys.interaction(S, "int-old"))).as("expired as planned").isZero();

        pipe(Events.deleted(S, t0.plusSeconds(6)));
        advance(Duration.ofSeconds(6));

        assertThat(store.inspect(keys.session(S)).get().isTombstone()).isTrue();
        assertThat(redis.exists(keys.interaction(S, "int-1"), keys.latestResponse(S), keys.interactionIndex(S))).isZero();
    }
}
