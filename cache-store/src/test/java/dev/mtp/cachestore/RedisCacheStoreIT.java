package dev.mtp.cachestore;

import dev.mtp.cachestore.CacheWrite.PurgeSession;
import dev.mtp.cachestore.CacheWrite.PutSession;
import dev.mtp.cachestore.CacheWrite.RemoveSession;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.mtp.common.version.VersionRule.OtherIncarnations.KEEP;
import static dev.mtp.common.version.VersionRule.OtherIncarnations.SUPERSEDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

@RealServers
class RedisCacheStoreIT {

    private static RedisCacheStore open(TestNamespace ns) {
        return RedisCacheStore.open(CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix()),
                Clock.systemUTC());
    }

    private static WriteOutcome write(CacheStore store, CacheWrite write) throws Exception {
        WriteResult r = store.write(write).get(10, TimeUnit.SECONDS);
        assertThat(r.error()).isNull();
        return r.outcome();
    }

    private static PutSession put(SessionState s) {
        return (PutSession) CacheWrite.session(s, false, SUPERSEDE, Samples.INTERACTIONS);
    }

    @Test
    void aSessionIsWrittenWithItsValueAndExactExpiryInOneStep(TestNamespace ns) throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            SessionState s = Samples.session("s-1", "WITH_CONTEXT", now, 3, 1);

            assertThat(write(store, put(s))).isEqualTo(WriteOutcome.WRITTEN);

            var cached = store.session("s-1").get().orElseThrow();
            assertThat(cached.fields()).isEqualTo(SessionProjection.of(s).orElseThrow().fields());
            assertThat(cached.get(SessionField.INTERACTION_COUNT)).isEqualTo(1L);
            StoredKey stored = store.inspect(store.keys().session("s-1")).get();
            assertThat(stored.expireAtMs()).isEqualTo(now.truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofMinutes(30))
                    .toEpochMilli());
            assertThat(stored.versions()).contains(Samples.versions(3, 1));
            assertThat(ns.redis().sync().pttl(store.keys().session("s-1")))
                    .isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
        }
    }

    @Test
    void staleAndDuplicateWritesAreSkipped(TestNamespace ns) throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            write(store, put(Samples.session("s-1", "FULL_SESSION", now, 10, 5)));

            assertThat(write(store, put(Samples.session("s-1", "FULL_SESSION", now, 10, 5))))
                    .isEqualTo(WriteOutcome.DUPLICATE);
            assertThat(write(store, put(Samples.session("s-1", "CRITICAL_ONLY", now, 9, 5))))
                    .isEqualTo(WriteOutcome.STALE);
            assertThat(write(store, put(Samples.session("s-1", "CRITICAL_ONLY", now, 11, 4))))
                    .as("newer session fields cannot take the interaction summary back").isEqualTo(WriteOutcome.STALE);
            assertThat(store.session("s-1").get().orElseThrow().strategy().name()).isEqualTo("FULL_SESSION");

            assertThat(write(store, put(Samples.session("s-1", "CRITICAL_ONLY", now, 11, 5))))
                    .isEqualTo(WriteOutcome.WRITTEN);
            assertThat(store.session("s-1").get().orElseThrow().strategy().name()).isEqualTo("CRITICAL_ONLY");
        }
    }

    @Test
    void aValueOfAnotherIncarnationIsKeptByARelayAndSupersededByAConsumer(TestNamespace ns) throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            String key = store.keys().session("s-1");
            ns.redis().sync().set(key, "j1:90.OOOOOOOO,40.PPPPPPPP|{\"u\":\"old\",\"st\":\"active\"}");
            assertThat(store.inspect(key).get().versions().orElseThrow().get(0))
                    .as("inspect gives the stored incarnation").isEqualTo(Version.of(new Incarnation("OOOOOOOO"), 90));
            SessionState s = Samples.session("s-1", "CRITICAL_ONLY", now, 0, 0);

            WriteResult kept = store.write(CacheWrite.session(s, false, KEEP, Samples.INTERACTIONS)).get(10, TimeUnit.SECONDS);
            assertThat(kept.outcome()).isEqualTo(WriteOutcome.OTHER_INCARNATION);
            assertThat(store.session("s-1").get().orElseThrow().get(SessionField.USER_ID)).isEqualTo("old");

            WriteResult superseded = store.write(put(s)).get(10, TimeUnit.SECONDS);
            assertThat(superseded.outcome()).isEqualTo(WriteOutcome.WRITTEN);
            assertThat(superseded.supersededOtherIncarnation()).isTrue();
            assertThat(store.session("s-1").get().orElseThrow().get(SessionField.USER_ID)).isEqualTo("user-456");
            assertThat(store.inspect(key).get().versions()).contains(Samples.versions(0, 0));
            assertThat(write(store, put(s))).as("then as usual within the incarnation")
                    .isEqualTo(WriteOutcome.DUPLICATE);
        }
    }

    @Test
    void anInteractionWrittenBeforeIncarnationsIsKeptByTheFastPathAndSupersededByCacheWriter(TestNamespace ns)
            throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            String key = store.keys().interaction("s-1", "int-1");
            String latest = store.keys().latestResponse("s-1");
            ns.redis().sync().set(key, "j1:7|{\"r\":\"old\"}");
            ns.redis().sync().set(latest, "j1:7|{\"id\":\"int-1\",\"r\":\"old\"}");
            EventEnvelope event = Samples.interaction("s-1", "int-1", "RESPONSE_ONLY", now);

            assertThat(store.write(CacheWrite.interaction(event, Samples.iv(0), KEEP)).get(10, TimeUnit.SECONDS))
                    .extracting(WriteResult::outcome)
                    .containsExactly(WriteOutcome.OTHER_INCARNATION, WriteOutcome.OTHER_INCARNATION);
            assertThat(store.write(CacheWrite.interaction(event, Samples.iv(0), SUPERSEDE)).get(10, TimeUnit.SECONDS))
                    .allSatisfy(r -> {
                        assertThat(r.outcome()).isEqualTo(WriteOutcome.WRITTEN);
                        assertThat(r.supersededOtherIncarnation()).isTrue();
                    });
            assertThat(store.latestResponse("s-1").get().orElseThrow().get(InteractionField.RESPONSE))
                    .isEqualTo("Our product offers...");
            assertThat(ns.redis().sync().pttl(key)).isPositive();
        }
    }

    @Test
    void aRemovalLeavesATombstoneThatKeepsALateOlderWriteOut(TestNamespace ns) throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            write(store, put(Samples.session("s-1", "FULL_SESSION", now, 1, -1)));

            assertThat(write(store, new RemoveSession("s-1", Samples.versions(2, -1), false, SUPERSEDE)))
                    .isEqualTo(WriteOutcome.REMOVED);
            assertThat(store.session("s-1").get()).isEmpty();
            StoredKey tombstone = store.inspect(store.keys().session("s-1")).get();
            assertThat(tombstone.isTombstone()).isTrue();
            assertThat(tombstone.expireAtMs() - System.currentTimeMillis())
                    .isBetween(0L, Duration.ofMinutes(5).toMillis());

            assertThat(write(store, put(Samples.session("s-1", "FULL_SESSION", now, 1, -1))))
                    .isEqualTo(WriteOutcome.STALE);
            assertThat(store.session("s-1").get()).isEmpty();
        }
    }

    @Test
    void aRemovalOfNothingLeavesNothingUnlessAsked(TestNamespace ns) throws Exception {
        try (RedisCacheStore store = open(ns)) {
            assertThat(write(store, new RemoveSession("s-1", Samples.versions(2, -1), false, SUPERSEDE)))
                    .isEqualTo(WriteOutcome.ABSENT);
            assertThat(ns.redis().sync().exists(store.keys().session("s-1"))).isZero();

            assertThat(write(store, new RemoveSession("s-1", Samples.versions(2, -1), true, SUPERSEDE)))
                    .isEqualTo(WriteOutcome.REMOVED);
            assertThat(store.inspect(store.keys().session("s-1")).get().isTombstone()).isTrue();
        }
    }

    @Test
    void interactionsAreIndexedAndTheLatestResponseIsOneGet(TestNamespace ns) throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            EventEnvelope first = Samples.interaction("s-1", "int-1", "FULL_INTERACTION", now);
            EventEnvelope second = Samples.interaction("s-1", "int-2", "RESPONSE_ONLY", now);
            List<CacheWrite> writes = new ArrayList<>(CacheWrite.interaction(first, Samples.iv(0), KEEP));
            writes.addAll(CacheWrite.interaction(second, Samples.iv(1), KEEP));
            List<WriteResult> results = store.write(writes).get(10, TimeUnit.SECONDS);

            assertThat(results).extracting(WriteResult::outcome).containsExactly(WriteOutcome.WRITTEN,
                    WriteOutcome.WRITTEN, WriteOutcome.WRITTEN, WriteOutcome.WRITTEN);
            assertThat(store.interactionIds("s-1").get()).containsExactly("int-1", "int-2");
            RedisCommands<String, String> redis = ns.redis().sync();
            assertThat(redis.pttl(store.keys().interactionIndex("s-1")))
                    .as("the index lives as long as its longest-lived member")
                    .isGreaterThan(Duration.ofMinutes(29).toMillis());
            assertThat(redis.get(store.keys().latestResponse("s-1"))).startsWith("j1:1.InTeRaCt|");
            var latest = store.latestResponse("s-1").get().orElseThrow();
            assertThat(latest.get(InteractionField.INTERACTION_ID)).isEqualTo("int-2");
            assertThat(latest.get(InteractionField.RESPONSE)).isEqualTo("Our product offers...");
            assertThat(store.interaction("s-1", "int-1").get().orElseThrow().fields())
                    .containsKeys(InteractionField.values());

            // An older interaction arriving late (one script call for both keys): its own key is new and is written,
            // but the latest response stays the newer one.
            EventEnvelope late = Samples.interaction("s-1", "int-0", "RESPONSE_ONLY", now);
            assertThat(store.write(CacheWrite.interaction(late, Samples.iv(0), KEEP)).get(10, TimeUnit.SECONDS))
                    .extracting(WriteResult::outcome).containsExactly(WriteOutcome.WRITTEN, WriteOutcome.STALE);
            assertThat(store.latestResponse("s-1").get().orElseThrow().get(InteractionField.INTERACTION_ID))
                    .isEqualTo("int-2");
            assertThat(store.interactionIds("s-1").get()).containsExactly("int-0", "int-1", "int-2");
        }
    }

    @Test
    void aPurgeRemovesEverySessionKeyAndAStaleCreateCannotComeBack(TestNamespace ns) throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            List<CacheWrite> writes = new ArrayList<>();
            writes.add(put(Samples.session("s-1", "FULL_SESSION", now, 0, 1)));
            writes.addAll(CacheWrite.interaction(Samples.interaction("s-1", "int-1", "RESPONSE_ONLY", now),
                    Samples.iv(0), KEEP));
            writes.addAll(CacheWrite.interaction(Samples.interaction("s-1", "int-2", "RESPONSE_ONLY", now),
                    Samples.iv(1), KEEP));
            store.write(writes).get(10, TimeUnit.SECONDS);

            assertThat(write(store, new PurgeSession("s-1", Samples.versions(1, 1), SUPERSEDE)))
                    .isEqualTo(WriteOutcome.REMOVED);

            RedisCommands<String, String> redis = ns.redis().sync();
            assertThat(redis.keys(ns.redisKeyPrefix() + "*")).containsExactly(store.keys().session("s-1"));
            assertThat(write(store, put(Samples.session("s-1", "FULL_SESSION", now, 0, 1))))
                    .isEqualTo(WriteOutcome.STALE);
            assertThat(write(store, new PurgeSession("s-1", Samples.versions(1, 1), SUPERSEDE)))
                    .isEqualTo(WriteOutcome.DUPLICATE);
        }
    }

    @Test
    void aValueWhoseTtlHasPassedIsNotWrittenAndItsOlderCopyGoes(TestNamespace ns) throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofHours(2));
        try (RedisCacheStore store = open(ns)) {
            write(store, put(Samples.session("s-1", "CRITICAL_ONLY", Instant.now(), 0, -1)));

            assertThat(write(store, put(Samples.session("s-1", "CRITICAL_ONLY", longAgo, 1, -1))))
                    .isEqualTo(WriteOutcome.EXPIRED);
            assertThat(store.session("s-1").get()).isEmpty();
            assertThat(write(store, put(Samples.session("s-2", "CRITICAL_ONLY", longAgo, 1, -1))))
                    .isEqualTo(WriteOutcome.EXPIRED);
            assertThat(ns.redis().sync().exists(store.keys().session("s-2"))).isZero();
        }
    }

    @Test
    void scriptsAreLoadedAgainWhenRedisForgotThem(TestNamespace ns) throws Exception {
        try (RedisCacheStore store = open(ns)) {
            write(store, put(Samples.session("s-1", "CRITICAL_ONLY", Instant.now(), 0, -1)));
            ns.redis().sync().scriptFlush();

            assertThat(write(store, put(Samples.session("s-1", "CRITICAL_ONLY", Instant.now(), 1, -1))))
                    .isEqualTo(WriteOutcome.WRITTEN);
            assertThat(store.inspect(store.keys().session("s-1")).get().versions())
                    .contains(VersionVector.session(Samples.sv(1), Version.noneIn(Samples.INTERACTIONS)));
        }
    }

    @Test
    void everyKeyWrittenHasAnExpiry(TestNamespace ns) throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open(ns)) {
            List<CacheWrite> writes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String session = "s-" + i;
                writes.add(put(Samples.session(session, "WITH_CONTEXT", now, i, i)));
                writes.addAll(CacheWrite.interaction(Samples.interaction(session, "int-" + i, "WITH_CONTEXT", now),
                        Samples.iv(i), KEEP));
                if (i % 5 == 0) {
                    writes.add(new RemoveSession(session, Samples.versions(i + 1, i), true, SUPERSEDE));
                }
            }
            assertThat(store.write(writes).get(10, TimeUnit.SECONDS)).noneMatch(WriteResult::failed);

            RedisCommands<String, String> redis = ns.redis().sync();
            for (String key : redis.keys(ns.redisKeyPrefix() + "*")) {
                assertThat(redis.pttl(key)).as(key).isPositive();
            }
        }
    }

    @Test
    void whileRedisIsDownWritesFailTransientlyAndWorkAgainAfterwards(TestNamespace ns) throws Exception {
        assumeThat(ns.redisServer()).as("a private redis-server").isPresent();
        RedisServerProcess server = ns.redisServer().orElseThrow();
        try (RedisCacheStore store = open(ns)) {
            write(store, put(Samples.session("s-1", "CRITICAL_ONLY", Instant.now(), 0, -1)));
            server.stop();
            try {
                WriteResult failed = store.write(put(Samples.session("s-1", "CRITICAL_ONLY", Instant.now(), 1, -1)))
                        .handle((r, e) -> r != null ? r : WriteResult.failed(
                                put(Samples.session("s-1", "CRITICAL_ONLY", Instant.now(), 1, -1)), e))
                        .get(20, TimeUnit.SECONDS);
                assertThat(failed.failed()).isTrue();
                assertThat(CacheErrors.CLASSIFIER.isTransient(failed.error())).as(String.valueOf(failed.error())).isTrue();
            } finally {
                server.start();
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    assertThat(write(store, put(Samples.session("s-1", "CRITICAL_ONLY", Instant.now(), 1, -1))))
                            .isEqualTo(WriteOutcome.WRITTEN));
        }
    }
}
