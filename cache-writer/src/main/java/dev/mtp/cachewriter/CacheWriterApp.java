package dev.mtp.cachewriter;

import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.redis.RedisConnections;

/** cache-writer: strategy-shaped slices of sessions and interactions in Redis, with their TTLs. */
public final class CacheWriterApp {
    private CacheWriterApp() {}

    public static void main(String[] args) {
        AppLauncher.run(CacheWriterConfig.TABLE, CacheWriterApp::start);
    }

    static void start(AppContext ctx) throws Exception {
        PipelineTopics.ensure(ctx);
        RedisConnections.open(ctx);
    }
}
