package dev.mtp.cachewriter;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.common.config.ConsumerGroups;
import dev.mtp.cachewriter.state.StateKeys;


/**
 * Every setting of cache-writer, once (rendered into docs/config/cache-writer.md, and checked, by CacheWriterConfigDocumentedTest):
 * <ul>
 *   <li>process: config file, ops port (8091), health timeout, start-up and shutdown timeouts;</li>
 *   <li>Kafka and topics: bootstrap servers, topic prefix, partitions, replication factor, create;</li>
 *   <li>Redis and the cache ({@link CommonConfigKeys#CACHE}): {@code redis.url}, {@code redis.mode}, key prefix,
 *       {@code app.persistence.cache-compression} and its threshold, tombstone TTL, command timeout;</li>
 *   <li>the consume loop ({@link CommonConfigKeys#CONSUME}): records per poll (= per pipelined batch), retry
 *       backoff while Redis is down;</li>
 *   <li>{@link #CONSUMERS} (consume loops per process), {@link StateKeys#STATE_RESTORE_TIMEOUT_MS} and
 *       {@link StateKeys#STATE_RETENTION_MS}.</li>
 * </ul>
 * The consumer group is {@code <app.topics.prefix>cache-writer}; the state topic is
 * {@code <app.topics.prefix>cache-writer.session-state.v1}.
 */
public final class CacheWriterConfig {
    private CacheWriterConfig() {}

    public static final ConfigKey<Integer> CONSUMERS = ConfigKey.integer("app.cache-writer.consumers")
            .range(1, 64)
            .withDefault(2)
            .withDoc("Consume loops in this process, each a member of the consumer group with its own partitions, "
                    + "session states and Redis pipeline. A loop spends most of a batch waiting for Redis and for "
                    + "its states' acknowledgements; a second one works meanwhile. More loops than partitions idle.");

    public static final ConfigTable TABLE = ConfigTable.builder("cache-writer")
            .addAll(CommonConfigKeys.runtime(8091))
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .add(CommonConfigKeys.REDIS_URL, CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION)
            .addAll(CommonConfigKeys.CACHE)
            .addAll(CommonConfigKeys.CONSUME)
            .addAll(CommonConfigKeys.INCARNATION)
            .add(CONSUMERS, StateKeys.STATE_RESTORE_TIMEOUT_MS, StateKeys.STATE_RETENTION_MS)
            .build();

    /** The consumer group of cache-writer for this topic prefix. */
    public static String groupId(String topicPrefix) {
        return ConsumerGroups.cacheWriter(topicPrefix);
    }
}
