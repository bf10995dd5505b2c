package dev.mtp.ops;

import dev.mtp.cachewriter.CacheWriterApp;
import dev.mtp.cachewriter.CacheWriterConfig;
import dev.mtp.mongowriter.MongoWriterApp;
import dev.mtp.mongowriter.MongoWriterConfig;
import dev.mtp.reconciler.ShadowReconcilerApp;
import dev.mtp.reconciler.ShadowReconcilerConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.TestNamespace;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The writers in the test's JVM on one namespace's servers, as the live apps beside an ops command. */
final class Writers {
    private Writers() {}

    /** mongo-writer in the namespace's database and group; {@code extra} adds or overrides settings. */
    static RunningApp mongoWriter(TestNamespace ns, Map<String, String> extra) {
        Map<String, String> env = environment(ns);
        env.put("APP_MONGO_WRITER_GROUP_ID", ns.group("mongo-writer"));
        env.putAll(extra);
        return AppLauncher.start(MongoWriterConfig.TABLE, MongoWriterApp::start, Map.of(), env);
    }

    static RunningApp cacheWriter(TestNamespace ns) {
        return AppLauncher.start(CacheWriterConfig.TABLE, CacheWriterApp::start, Map.of(), environment(ns));
    }

    /** The reconciler, its state in {@code stateDir}, checking each change a second after it. */
    static RunningApp reconciler(TestNamespace ns, Path stateDir) {
        Map<String, String> env = environment(ns);
        env.put("APP_RECONCILER_STATE_DIR", stateDir.toString());
        env.put("APP_RECONCILER_CHECK_DELAY_MS", "1000");
        return AppLauncher.start(ShadowReconcilerConfig.TABLE, ShadowReconcilerApp::start, Map.of(), env);
    }

    /** What ops-cli reads to reach the namespace's Redis and MongoDB, as the Cli's extra settings. */
    static Map<String, String> stores(TestNamespace ns) {
        return Map.of("mongodb.uri", ns.mongoUri(), "mongodb.database", ns.mongoDatabaseName(),
                "redis.url", ns.redisUrl(), "app.cache.key-prefix", ns.redisKeyPrefix());
    }

    private static Map<String, String> environment(TestNamespace ns) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers());
        env.put("REDIS_URL", ns.redisUrl());
        env.put("MONGODB_URI", ns.mongoUri());
        env.put("MONGODB_DATABASE", ns.mongoDatabaseName());
        env.put("APP_TOPICS_PREFIX", ns.topicPrefix());
        env.put("APP_TOPICS_PARTITIONS", "2");
        env.put("APP_CACHE_KEY_PREFIX", ns.redisKeyPrefix());
        env.put("OPS_PORT", "0");
        return env;
    }
}
