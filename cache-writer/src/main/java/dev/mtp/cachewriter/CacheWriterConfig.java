package dev.mtp.cachewriter;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;

/** Every setting of cache-writer, once. Rendered into README.md by ops-cli config-docs. */
public final class CacheWriterConfig {
    private CacheWriterConfig() {}

    public static final ConfigTable TABLE = ConfigTable.builder("cache-writer")
            .addAll(CommonConfigKeys.runtime(8091))
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .add(CommonConfigKeys.REDIS_URL, CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION)
            .build();
}
