package dev.mtp.runtime.kafka;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A topic the app needs: name, partition count, and what it is created with: replication factor and topic configs
 * (e.g. {@code retention.ms}). Only the partition count is checked on an existing topic.
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /** Kafka's {@code retention.ms} value for "forever". */
    public static final String RETENTION_FOREVER = "-1";

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (!LEGAL.matcher(name).matches() || name.length() > 249 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a legal topic name: 1 to 249 of a-z A-Z 0-9 . _ -");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(name + ": partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(name + ": replication factor must be at least 1, got " + replicationFactor);
        }
        configs = java.util.Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    /** A topic created with the broker's default configs. */
    public TopicSpec(String name, int partitions, short replicationFactor) {
        this(name, partitions, replicationFactor, Map.of());
    }

    /** This topic, created with {@code retention.ms} of {@code retention} (zero: forever). */
    public TopicSpec withRetention(Duration retention) {
        Map<String, String> more = new TreeMap<>(configs);
        more.put(TopicConfig.RETENTION_MS_CONFIG, retentionMs(retention));
        return new TopicSpec(name, partitions, replicationFactor, more);
    }

    /** {@code retention.ms} for a retention setting: its milliseconds, or -1 (forever) for zero. */
    public static String retentionMs(Duration retention) {
        return retention.isZero() ? RETENTION_FOREVER : Long.toString(retention.toMillis());
    }

    /** A topic with the partitions and replication factor of {@code app.topics.*}. */
    public static TopicSpec of(String name, Config config) {
        return new TopicSpec(name, config.get(CommonConfigKeys.TOPICS_PARTITIONS),
                config.get(CommonConfigKeys.TOPICS_REPLICATION_FACTOR).shortValue());
    }
}
