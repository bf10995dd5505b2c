package dev.mtp.ingest;

import com.mongodb.client.MongoDatabase;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisClients;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.usage.ShardsSampler;
import dev.mtp.ingest.application.EventPublisher;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.sync.AdaptiveSync;
import dev.mtp.ingest.usage.KeySpaceScan;
import dev.mtp.ingest.usage.MeasuredPublisher;
import dev.mtp.ingest.usage.MeasuredReader;
import dev.mtp.ingest.usage.UsageFlusher;
import dev.mtp.ingest.usage.UsageRecorder;
import dev.mtp.ingest.usage.UsageService;
import dev.mtp.ingest.usage.UsageStore;
import dev.mtp.runtime.AppContext;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** How IngestApp puts usage measurement together (docs/decisions/0015), kept apart so the app's start stays short. */
public final class UsageWiring {
    private static final Logger log = LoggerFactory.getLogger(UsageWiring.class);

    private UsageWiring() {}

    public static UsageRecorder recorder(AppContext ctx) {
        return new UsageRecorder(Clock.systemUTC(), new ShardsSampler(ctx.get(IngestConfig.USAGE_SAMPLE_RATE_PPM) / 1e6,
                ctx.get(IngestConfig.USAGE_MAX_SAMPLED_KEYS)));
    }

    public static EntityReader measured(EntityReader reader, Optional<UsageRecorder> recorder) {
        return recorder.<EntityReader>map(r -> new MeasuredReader(reader, r)).orElse(reader);
    }

    public static EventPublisher measured(EventPublisher publisher, Optional<UsageRecorder> recorder) {
        return recorder.<EventPublisher>map(r -> new MeasuredPublisher(publisher, r)).orElse(publisher);
    }

    /** The store, its flusher (closed before MongoDB: opened after it), the key space scan when Redis is open. */
    public static UsageService service(AppContext ctx, UsageRecorder recorder, MongoDatabase mongo, CacheStore cache,
                                       StrategyDefaults profile, AdaptiveSync sync) {
        UsageStore store = new UsageStore(mongo, ctx.get(IngestConfig.USAGE_RETENTION_MS));
        try {
            store.ensureIndexes();
        } catch (RuntimeException e) {
            log.warn("usage: indexes not created ({}); old buckets are still pruned at each flush", e.toString());
        }
        String instance = ctx.appName() + "@" + ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        ctx.open("usage-flusher", new UsageFlusher(recorder, store, instance, Clock.systemUTC(),
                ctx.get(IngestConfig.USAGE_BUCKET_MS), () -> Map.of("profile", profile.describe(), "sync", sync.stats())));
        return new UsageService(store, scan(ctx, cache), Clock.systemUTC(), profile);
    }

    private static Optional<KeySpaceScan> scan(AppContext ctx, CacheStore cache) {
        CacheStoreSettings settings = CacheStoreSettings.from(ctx.config());
        int maxKeys = ctx.get(IngestConfig.USAGE_SCAN_MAX_KEYS);
        if (cache == null || settings.cluster() || maxKeys == 0) {
            return Optional.empty();
        }
        RedisClient client = ctx.open("usage-redis-client", RedisClients.standalone(settings));
        StatefulRedisConnection<String, String> connection = ctx.open("usage-redis", client.connect());
        return Optional.of(new KeySpaceScan(connection.sync(), cache, Clock.systemUTC(), maxKeys,
                ctx.get(IngestConfig.USAGE_MEMORY_SAMPLES)));
    }
}
