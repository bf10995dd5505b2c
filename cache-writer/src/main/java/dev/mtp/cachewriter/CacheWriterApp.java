package dev.mtp.cachewriter;

import dev.mtp.cachestore.CacheErrors;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachewriter.state.SessionStateStore;
import dev.mtp.cachewriter.state.StateTopic;
import dev.mtp.cachewriter.write.CacheBatchWriter;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Masking;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.StartupException;
import dev.mtp.runtime.consume.ConsumeLoops;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.ops.HealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    static void start(AppContext ctx) throws Exception {
        PersistenceTopics topics = PipelineTopics.ensure(ctx);
        String prefix = ctx.get(CommonConfigKeys.TOPICS_PREFIX);
        Duration stateTimeout = ctx.get(CacheWriterConfig.STATE_RESTORE_TIMEOUT_MS);

        CacheStoreSettings settings = CacheStoreSettings.from(ctx.config());
        RedisCacheStore store = ctx.open("cache-store", openStore(ctx, settings));
        Duration healthTimeout = ctx.get(CommonConfigKeys.OPS_HEALTH_TIMEOUT_MS);
        HealthCheck redis = HealthCheck.of("redis",
                () -> store.ping().get(healthTimeout.toMillis(), TimeUnit.MILLISECONDS));
        ctx.awaitHealthy(redis);
        ctx.addHealthCheck(redis);

        Admin admin = ctx.open("state-topic-admin", Admin.create(KafkaClients.admin(ctx.config())));
        String stateTopic = StateTopic.ensure(admin, ctx.config(), ctx.startupTimeout());

        Map<String, Object> restoreProps = KafkaClients.common(ctx.config(), "state-restore");
        restoreProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        restoreProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Object> stateProducerProps = KafkaClients.producer(ctx.config());
        stateProducerProps.put(ProducerConfig.CLIENT_ID_CONFIG, KafkaClients.clientId(ctx.appName(), "state-producer"));
        stateProducerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        stateProducerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        SessionStateStore states = ctx.open("session-state", new SessionStateStore(stateTopic,
                new KafkaConsumer<>(restoreProps, new StringDeserializer(), new ByteArrayDeserializer()),
                new KafkaProducer<>(stateProducerProps, new StringSerializer(), new ByteArraySerializer()),
                stateTimeout, ctx.meterRegistry()));

        List<dev.mtp.common.topic.TopicDescriptor<String, dev.mtp.common.event.EventEnvelope>> consumed =
                List.of(topics.sessions(), topics.interactions());
        CacheBatchWriter writer = new CacheBatchWriter(store, states, consumed, settings.commandTimeout(),
                ctx.meterRegistry());
        ConsumeLoops.open(ctx, CacheWriterConfig.groupId(prefix), topics, consumed, writer,
                CacheErrors::isTransientCause);
    }

    /** Connects to Redis, retrying with backoff until the start-up timeout: Redis may start after us. */
    private static RedisCacheStore openStore(AppContext ctx, CacheStoreSettings settings) throws InterruptedException {
        long deadline = System.nanoTime() + ctx.startupTimeout().toNanos();
        long backoffMs = 100;
        while (true) {
            try {
                return RedisCacheStore.open(settings, Clock.systemUTC());
            } catch (RuntimeException e) {
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
