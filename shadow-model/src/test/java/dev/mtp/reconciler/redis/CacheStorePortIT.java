package dev.mtp.reconciler.redis;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.reconciler.check.RepairOutcome;
import dev.mtp.reconciler.check.RepairPlanner;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@RealServers
class CacheStorePortIT {

    @Test
    void readsPipelinedAndRepairsAtEqualVersionsOnlyWhatWasRead(TestNamespace ns) throws Exception {
        CacheStoreSettings settings = CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix());
        CacheKeys keys = settings.keys();
        try (RedisCacheStore store = RedisCacheStore.open(settings, Clock.systemUTC());
             StatefulRedisConnection<String, byte[]> cas = ns.redisClient()
                     .connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
            CacheStorePort port = new CacheStorePort(store, cas, Duration.ofSeconds(5));
            Instant t0 = Instant.now();
            SessionState s = SessionFold.apply(SessionState.empty("s-1"), Events.created("s-1", "WITH_CONTEXT", t0),
                    TestVersions.s(0)).state();
            assertThat(port.write(List.of(CacheWrite.session(s, false, OtherIncarnations.SUPERSEDE, TestVersions.INTERACTIONS))).get(0).outcome())
                    .isEqualTo(WriteOutcome.WRITTEN);
            String key = keys.session("s-1");

            List<StoredKey> read = port.inspect(List.of(key, keys.session("nobody")));
            assertThat(read.get(0).versions().orElseThrow().toString()).isEqualTo("0." + TestVersions.SESSIONS.tag()
                    + ",-1." + TestVersions.INTERACTIONS.tag());
            assertThat(read.get(0).expireAtMs()).isEqualTo(t0.plus(Duration.ofMinutes(30)).toEpochMilli());
            assertThat(read.get(1).exists()).isFalse();

            // Someone strips the TTL: the guard would refuse the same versions, the compare-and-set restores it.
            ns.redis().sync().persist(key);
            StoredKey seen = port.inspect(List.of(key)).get(0);
            assertThat(seen.expireAtMs()).isEqualTo(-1);
            RepairPlanner planner = new RepairPlanner(settings.codec(), settings.tombstoneTtl().toMillis(),
                    TestVersions.CONSUMED);
            ShadowEntry entry = ShadowEntry.session(key, s, ShadowFold.sessionDesired(s, Codecs.DEFAULT), 0);
            assertThat(port.rewrite(seen, planner.rewrite(entry, System.currentTimeMillis()))).isEqualTo(RepairOutcome.APPLIED);
            assertThat(ns.redis().sync().pexpiretime(key)).isEqualTo(t0.plus(Duration.ofMinutes(30)).toEpochMilli());

            // A stale read loses: the key changed since it was read.
            StoredKey old = seen;
            assertThat(port.rewrite(old, planner.rewrite(entry, System.currentTimeMillis()))).isEqualTo(RepairOutcome.SUPERSEDED);

            // An equal-version removal leaves cache-store's tombstone.
            StoredKey now = port.inspect(List.of(key)).get(0);
            RepairPlanner.Rewrite remove = new RepairPlanner.Rewrite(key, ValueCodec.tombstone(entry.desired().versions()), 0, 60_000);
            assertThat(port.rewrite(now, remove)).isEqualTo(RepairOutcome.APPLIED);
            assertThat(port.inspect(List.of(key)).get(0).isTombstone()).isTrue();
        }
    }

    @Test
    void aStoppedRedisIsUnavailableNotAnAnswer(TestNamespace ns) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ns.redisServer().isPresent(), "a private redis-server");
        CacheStoreSettings settings = CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix())
                .withCommandTimeout(Duration.ofMillis(500));
        try (RedisCacheStore store = RedisCacheStore.open(settings, Clock.systemUTC())) {
            CacheStorePort port = new CacheStorePort(store, null, settings.commandTimeout());
            ns.redisServer().orElseThrow().stop();
            try {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> port.inspect(List.of("k")))
                        .isInstanceOf(dev.mtp.reconciler.check.CachePort.CacheUnavailableException.class);
            } finally {
                ns.redisServer().orElseThrow().start();
            }
        }
    }
}
