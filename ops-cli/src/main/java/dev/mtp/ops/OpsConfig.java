package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.mongowriter.store.MongoWriteKeys;
import dev.mtp.reconciler.check.CheckKeys;
import dev.mtp.reconciler.shadow.ShadowStore;

/** What ops-cli reads: the same server and topic settings as the apps (same env vars). */
final class OpsConfig {
    private OpsConfig() {}

    static final ConfigTable TABLE = ConfigTable.builder("ops-cli")
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .add(CommonConfigKeys.REDIS_URL, CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION)
            .addAll(CommonConfigKeys.CACHE)
            .addAll(CommonConfigKeys.MONGODB)
            .add(CommonConfigKeys.STARTUP_TIMEOUT_MS)
            // offsets and topics describe know mongo-writer's group as mongo-writer does
            .add(CommonConfigKeys.MONGO_WRITER_GROUP_ID)
            // shadow check reads the reconciler's changelog and judges drift as the reconciler does
            .add(ShadowStore.APPLICATION_ID_KEY, CheckKeys.CHECK_DELAY_MS,
                    CheckKeys.TTL_TOLERANCE_MS, CheckKeys.BATCH_SIZE)
            // replay and dlq redrive write MongoDB through mongo-writer's writer, with its settings
            .add(MongoWriteKeys.WRITE_ACKNOWLEDGEMENT, MongoWriteKeys.MAX_DOCUMENT_BYTES, MongoWriteKeys.MAX_MAP_DEPTH,
                    MongoWriteKeys.CONFLICT_ROUNDS, MongoWriteKeys.VERSION_CACHE_ENTRIES, MongoWriteKeys.WRITE_THREADS,
                    MongoWriteKeys.SUMMARY_WINDOW_MS, MongoWriteKeys.SUMMARY_WINDOW_EVENTS)
            .build();
}
