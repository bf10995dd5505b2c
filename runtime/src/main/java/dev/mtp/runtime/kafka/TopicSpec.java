package dev.mtp.runtime.kafka;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;

import java.util.Objects;
import java.util.regex.Pattern;

/** A topic the app needs: name, partition count, replication factor (used only when creating it). */
public record TopicSpec(String name, int partitions, short replicationFactor) {

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
    }

    /** A topic with the partitions and replication factor of {@code app.topics.*}. */
    public static TopicSpec of(String name, Config config) {
        return new TopicSpec(name, config.get(CommonConfigKeys.TOPICS_PARTITIONS),
                config.get(CommonConfigKeys.TOPICS_REPLICATION_FACTOR).shortValue());
    }
}
