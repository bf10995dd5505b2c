package dev.mtp.reconciler;

import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.mongo.MongoConnections;
import dev.mtp.runtime.redis.RedisConnections;

/** shadow-reconciler: KVShadow, the desired state of every cache key, and repair of Redis drift. */
public final class ShadowReconcilerApp {
    private ShadowReconcilerApp() {}

    public static void main(String[] args) {
        AppLauncher.run(ShadowReconcilerConfig.TABLE, ShadowReconcilerApp::start);
    }

    static void start(AppContext ctx) throws Exception {
        PipelineTopics.ensure(ctx);
        RedisConnections.open(ctx);
        MongoConnections.open(ctx);
    }
}
