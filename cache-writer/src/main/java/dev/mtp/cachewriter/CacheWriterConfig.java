package dev.mtp.cachewriter;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.common.config.ConsumerGroups;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every setting of cache-writer, once (rendered into docs/config/cache-writer.md, and checked, by CacheWriterConfigDocumentedTest):
 * <ul>
 *   <li>process: config file, ops port (8091), health timeout, start-up and shutdown timeouts;</li>
 *   <li>Kafka and topics: bootstrap servers, topic prefix, partitions, replication factor, create;</li>
 *   <li>Redis and the cache ({@link CommonConfigKeys#CACHE}): {@code redis.url}, {@code redis.mode}, key prefix,
 *       {@code app.persistence.cache-compression} and its threshold, tombstone TTL, command timeout;</li>
 *   <li>the consume loop ({@link CommonConfigKeys#CONSUME}): records per poll (= per pipelined batch), retry
 *       backoff while Redis is down;</li>
 *   <li>{@link #CONSUMERS} (consume loops per process), {@link #STATE_RESTORE_TIMEOUT_MS} and
 *       {@link #STATE_RETENTION_MS}.</li>
 * </ul>
 * The consumer group is {@code <app.topics.prefix>cache-writer}; the state topic is
 * {@code <app.topics.prefix>cache-writer.session-state.v1}.
 */
public final class CacheWriterConfig {
    private CacheWriterConfig() {}

    public static final ConfigKey<Duration> STATE_RESTORE_TIMEOUT_MS =
            ConfigKey.durationMs("app.cache-writer.state-restore-timeout-ms")
                    .range(1_000, 3_600_000)
                    .withDefault(Duration.ofMinutes(2))
                    .withDoc("Longest time to read the session states of newly assigned partitions from the state "
                            + "topic (runs inside the rebalance), and to get one batch's states acknowledged, in ms. "
                            + "A restore that takes longer stops the app; raise it for very many live sessions per "
                            + "partition.");

    /** The longest TTL of any cache strategy: a state evicted sooner could be missing while its key still lives. */
    static final Duration LONGEST_TTL = Stream.<CacheStrategy<?>>concat(Arrays.stream(SessionCacheStrategy.values()),
                    Arrays.stream(InteractionCacheStrategy.values()))
            .map(CacheStrategy::ttl).flatMap(Optional::stream).max(Comparator.naturalOrder()).orElseThrow();

    public static final ConfigKey<Duration> STATE_RETENTION_MS =
            ConfigKey.durationMs("app.cache-writer.state-retention-ms")
                    .range(LONGEST_TTL.toMillis(), Duration.ofDays(365).toMillis())
                    .withDefault(Duration.ofDays(7))
                    .withDoc("How long a session's full state stays in memory (and in the state topic) without a "
                            + "change, in ms; evicted after one to two such periods. At least the longest cache TTL ("
                            + LONGEST_TTL.toMinutes() + " min), so every key it cached has expired. An event of an "
                            + "evicted session finds no state: its interaction keys are cached, its session key is "
                            + "not until it is created again (reads fall back to MongoDB; the reconciler restores "
                            + "it). Memory: about 650 bytes per session changed within the period.");

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
            .add(CONSUMERS, STATE_RESTORE_TIMEOUT_MS, STATE_RETENTION_MS)
            .build();

    /** The consumer group of cache-writer for this topic prefix. */
    public static String groupId(String topicPrefix) {
        return ConsumerGroups.cacheWriter(topicPrefix);
    }
}
