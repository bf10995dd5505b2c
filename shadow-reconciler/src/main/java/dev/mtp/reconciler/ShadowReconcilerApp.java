package dev.mtp.reconciler;

import com.mongodb.client.MongoDatabase;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.RedisIncarnationRegistry;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.HostPort;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.reconciler.check.CheckKeys;
import dev.mtp.reconciler.check.CheckPacer;
import dev.mtp.reconciler.check.CheckRunner;
import dev.mtp.reconciler.check.ConsumedIncarnations;
import dev.mtp.reconciler.check.DriftJudge;
import dev.mtp.reconciler.check.RepairPlanner;
import dev.mtp.reconciler.redis.CacheStorePort;
import dev.mtp.reconciler.redis.DataLossDetector;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.topology.RecoverySignal;
import dev.mtp.reconciler.topology.ShadowTopology;
import dev.mtp.reconciler.tracking.MongoSyncTracking;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.reconciler.check.SyncTracking;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.config.KafkaClientProperties;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.incarnation.IncarnationWatch;
import dev.mtp.runtime.kafka.PartitionCounts;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.mongostore.MongoConnections;
import dev.mtp.runtime.ops.Health;
import dev.mtp.runtime.ops.HealthCheck;
import dev.mtp.cachestore.RedisConnections;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * shadow-reconciler: KVShadow, the desired state of every cache key, and repair of Redis drift. {@code main} only
 * wires configuration; the topology is {@link ShadowTopology#build}.
 */
public final class ShadowReconcilerApp {

    private static final Logger log = LoggerFactory.getLogger(ShadowReconcilerApp.class);

    private ShadowReconcilerApp() {}

    public static void main(String[] args) {
        AppLauncher.run(ShadowReconcilerConfig.TABLE, ShadowReconcilerApp::start);
    }

    public static void start(AppContext ctx) throws Exception {
        Config config = ctx.config();
        ProvisionedTopics provisioned = PipelineTopics.ensure(ctx);
        PersistenceTopics topics = provisioned.names();
        CacheStoreSettings cache = CacheStoreSettings.from(config);
        RedisClient redis = RedisConnections.open(ctx);
        RedisCacheStore store = ctx.open("cache-store", RedisCacheStore.open(cache, Clock.systemUTC()));
        IncarnationWatch.start(ctx, provisioned, List.of(topics.sessions().name(), topics.interactions().name()),
                List.of(ctx.open("incarnation-registry", RedisIncarnationRegistry.open(cache))));
        StatefulRedisConnection<String, byte[]> casConnection = cache.cluster() ? null
                : ctx.open("redis-cas-connection",
                        redis.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)));
        StatefulRedisConnection<String, String> canaryConnection = ctx.open("redis-canary-connection", redis.connect());

        ReconcilerMetrics metrics = new ReconcilerMetrics(ctx.meterRegistry(),
                config.get(ShadowReconcilerConfig.CONSISTENCY_WINDOW_MS), System::currentTimeMillis);
        SyncTracking tracking = SyncTracking.NONE;
        if (config.get(ShadowReconcilerConfig.TRACKING)) {
            MongoDatabase mongo = MongoConnections.open(ctx);
            tracking = ctx.open("kvshadow-tracking", new MongoSyncTracking(mongo,
                    config.get(ShadowReconcilerConfig.TRACKING_FLUSH_MS),
                    config.get(ShadowReconcilerConfig.TRACKING_HOLD_MS),
                    config.get(ShadowReconcilerConfig.TRACKING_MAX_PENDING), ctx.meterRegistry(),
                    System::currentTimeMillis));
        }
        CheckPacer pacer = new CheckPacer(config.get(ShadowReconcilerConfig.MAX_CHECKS_PER_SECOND),
                config.get(ShadowReconcilerConfig.YIELD_LATENCY_MS), System::nanoTime);
        metrics.gauge("mtp.reconciler.check.rate", "Checks per second currently allowed (AIMD)", pacer::rate);
        RecoverySignal recovery = new RecoverySignal();
        CheckRunner runner = new CheckRunner(new CacheStorePort(store, casConnection, cache.commandTimeout()),
                new DriftJudge(config.get(CheckKeys.TTL_TOLERANCE_MS).toMillis()),
                new RepairPlanner(cache.codec(), cache.tombstoneTtl().toMillis(),
                        ConsumedIncarnations.of(topics, provisioned.incarnations())), metrics, tracking);

        StreamsBuilder builder = new StreamsBuilder();
        Properties props = streamsProperties(config);
        Admin admin = ctx.open("kafka-admin-partition-counts", Admin.create(KafkaClients.admin(config)));
        ShadowTopology.build(builder, provisioned, ShadowReconcilerConfig.checkSettings(config), new ShadowTopology.Services(
                new ShadowFold(cache.keys(), cache.codec()), runner, pacer, recovery, metrics, tracking),
                new ShadowTopology.PartitionCheck(
                        PartitionCounts.fromAdmin(admin, ctx.startupTimeout()),
                        ctx.appName()));
        KafkaStreams streams = new KafkaStreams(builder.build(props), props);
        streams.setGlobalStateRestoreListener(new RestoreLog(metrics));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            log.atInfo().setMessage("kafka streams {} -> {}").addArgument(before).addArgument(now).log();
            if (now == KafkaStreams.State.ERROR) {
                ctx.fail("kafka streams is in state ERROR", null);
            }
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(ctx.meterRegistry());
        ctx.open("kafka-streams-metrics", streamsMetrics);
        ctx.open("kafka-streams", streams, s -> s.close(Duration.ofSeconds(10)));
        ctx.addHealthCheck(new HealthCheck() {
            @Override
            public String name() {
                return "kafka-streams";
            }

            @Override
            public Health check() {
                KafkaStreams.State state = streams.state();
                return state == KafkaStreams.State.RUNNING ? Health.up("running")
                        : Health.down(state.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        DataLossDetector canary = ctx.open("redis-canary", new DataLossDetector(canaryConnection,
                DataLossDetector.canaryKey(cache.keyPrefix(), props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)),
                config.get(ShadowReconcilerConfig.CANARY_INTERVAL_MS), recovery, metrics));
        ctx.afterStart("kafka-streams", streams::start);
        ctx.afterStart("redis-canary", canary::start);
    }

    /**
     * The Kafka Streams settings from the config table and the client properties of {@code kafka.config-file}
     * (security); the rest are Streams' defaults, on purpose.
     */
    public static Properties streamsProperties(Config config) {
        Properties p = new Properties();
        p.putAll(KafkaClientProperties.load(config));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, ShadowStore.applicationId(config));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, HostPort.join(config.get(CommonConfigKeys.KAFKA_BOOTSTRAP_SERVERS)));
        p.put(StreamsConfig.CLIENT_ID_CONFIG, KafkaClients.clientId(config.appName(), "streams"));
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(config.get(ShadowReconcilerConfig.STATE_DIR)).toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.get(ShadowReconcilerConfig.STREAM_THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get(ShadowReconcilerConfig.COMMIT_INTERVAL_MS).toMillis());
        // At-least-once: a crash re-reads events after the last commit, and the fold skips those it applied (their
        // offsets are not newer than the state's versions). Exactly-once would add transactions for nothing, and
        // would wipe the local stores after an unclean shutdown instead of resuming from them.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get(CommonConfigKeys.TOPICS_REPLICATION_FACTOR));
        // Poison records are cache-writer's to dead-letter; the shadow skips them as cache-writer skips them.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.get(ShadowReconcilerConfig.STATE_CACHE_BYTES));
        // Off: only transactional stores (exactly-once) count uncommitted bytes; ours always report 0, and summing
        // them after every poll is pure cost.
        p.put(StreamsConfig.STATESTORE_UNCOMMITTED_MAX_BYTES_CONFIG, -1L);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, MemtableSize.class);
        p.put(MemtableSize.CONFIG, config.get(ShadowReconcilerConfig.MEMTABLE_BYTES));
        config.find(ShadowReconcilerConfig.INSTANCE_ID).ifPresent(id ->
                p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        return p;
    }

    /** Sets the write-buffer size of the state stores ({@code app.reconciler.rocksdb-memtable-bytes}). */
    public static final class MemtableSize implements RocksDBConfigSetter {
        static final String CONFIG = "mtp.reconciler.rocksdb.memtable.bytes";

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            Object bytes = configs.get(CONFIG);
            if (bytes != null) {
                options.setWriteBufferSize(Long.parseLong(bytes.toString()));
            }
        }

        @Override
        public void close(String storeName, Options options) {
        }
    }

    /** Counts and logs what each store restores from its changelog: a restart should restore little. */
    private record RestoreLog(ReconcilerMetrics metrics) implements StateRestoreListener {
        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
            log.atInfo().setMessage("restoring {} {} from offset {} to {}").addArgument(store).addArgument(partition)
                    .addArgument(startingOffset).addArgument(endingOffset).log();
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
            metrics.restored(numRestored);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            log.atInfo().setMessage("restored {} {}: {} records").addArgument(store).addArgument(partition)
                    .addArgument(totalRestored).log();
        }
    }
}
