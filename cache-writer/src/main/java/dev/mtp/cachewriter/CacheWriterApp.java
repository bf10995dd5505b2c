package dev.mtp.cachewriter;

import dev.mtp.cachestore.CacheErrors;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.RedisIncarnationRegistry;
import dev.mtp.cachewriter.state.SessionStateStore;
import dev.mtp.cachewriter.state.StateTopic;
import dev.mtp.cachewriter.write.CacheBatchWriter;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Masking;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.startup.ServerRefusal;
import dev.mtp.runtime.startup.StartupException;
import dev.mtp.runtime.consume.ConsumeLoop;
import dev.mtp.runtime.incarnation.IncarnationWatch;
import dev.mtp.runtime.consume.ConsumeLoops;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.runtime.ops.HealthCheck;
import io.micrometer.core.instrument.Gauge;
import org.apache.kafka.clients.admin.Admin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * cache-writer: strategy-shaped slices of sessions and interactions in Redis, with their TTLs, written behind the
 * sessions and interactions topics (docs/decisions/0002, 0003).
 */
public final class CacheWriterApp {
    private CacheWriterApp() {}

    public static void main(String[] args) {
        AppLauncher.run(CacheWriterConfig.TABLE, CacheWriterApp::start);
    }

    public static void start(AppContext ctx) throws Exception {
        ProvisionedTopics provisioned = PipelineTopics.ensure(ctx);
        PersistenceTopics topics = provisioned.names();
        String prefix = ctx.get(CommonConfigKeys.TOPICS_PREFIX);

        CacheStoreSettings settings = CacheStoreSettings.from(ctx.config());
        RedisCacheStore store = ctx.open("cache-store", openStore(ctx, settings));
        Duration healthTimeout = ctx.get(CommonConfigKeys.OPS_HEALTH_TIMEOUT_MS);
        HealthCheck redis = HealthCheck.of("redis",
                () -> store.ping().get(healthTimeout.toMillis(), TimeUnit.MILLISECONDS));
        ctx.awaitHealthy(redis);
        ctx.addHealthCheck(redis);

        Admin admin = ctx.open("state-topic-admin", Admin.create(KafkaClients.admin(ctx.config())));
        String stateTopic = StateTopic.ensure(admin, ctx.config(), ctx.startupTimeout());

        List<TopicDescriptor<String, EventEnvelope>> consumed = List.of(topics.sessions(), topics.interactions());
        IncarnationWatch.start(ctx, provisioned, consumed.stream().map(TopicDescriptor::name).toList(),
                List.of(ctx.open("incarnation-registry", RedisIncarnationRegistry.open(settings))));
        int consumers = ctx.get(CacheWriterConfig.CONSUMERS);
        List<SessionStateStore> stores = new ArrayList<>();
        List<CacheBatchWriter> writers = new ArrayList<>();
        for (int i = 1; i <= consumers; i++) {
            String member = consumers == 1 ? "" : "-" + i;
            SessionStateStore states = ctx.open("session-state" + member,
                    SessionStateStore.open(ctx.config(), ctx.appName(), stateTopic, member));
            stores.add(states);
            writers.add(new CacheBatchWriter(store, states, consumed,
                    provisioned.incarnations().of(topics.interactions().name()), settings.commandTimeout(),
                    ctx.meterRegistry()));
        }
        // Held strongly: nothing else keeps this list, and a weakly held one reads NaN after the next GC.
        Gauge.builder("mtp.cache.state.sessions", stores, s -> s.stream().mapToInt(SessionStateStore::sessionCount).sum())
                .description("Sessions whose full state this cache-writer holds (owned partitions)")
                .strongReference(true)
                .register(ctx.meterRegistry());
        // Decoded inline: its consume loops keep the cores busy themselves, and decoding ahead cost more CPU per
        // event than it overlapped (docs/decisions/0010).
        ConsumeLoops.open(ctx, CacheWriterConfig.groupId(prefix), provisioned, consumed, writers,
                CacheErrors.CLASSIFIER, ConsumeLoop.Decoding.INLINE);
    }

    /** Connects to Redis, retrying with backoff until the start-up timeout: Redis may start after us. */
    private static RedisCacheStore openStore(AppContext ctx, CacheStoreSettings settings) throws InterruptedException {
        long deadline = System.nanoTime() + ctx.startupTimeout().toNanos();
        long backoffMs = 100;
        while (true) {
            try {
                return RedisCacheStore.open(settings, Clock.systemUTC());
            } catch (RuntimeException e) {
                if (ServerRefusal.describe(e).isPresent()) {
                    throw e; // wrong credentials or an untrusted certificate: retrying would not help
                }
                if (System.nanoTime() > deadline) {
                    throw StartupException.unreachable("redis", ctx.startupTimeout(),
                            Masking.maskUris(String.valueOf(e.getMessage())));
                }
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 2_000);
            }
        }
    }
}
