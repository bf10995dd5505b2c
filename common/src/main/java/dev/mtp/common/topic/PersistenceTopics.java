package dev.mtp.common.topic;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.json.EventEnvelopeSerde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The pipeline's topics for one prefix ({@code app.topics.prefix}, "mtp." by default; tests use a
 * prefix per test). Every persistence topic is keyed by session id and must have the same partition
 * count, so one session's events land on the same partition number on each topic.
 */
public record PersistenceTopics(
        TopicDescriptor<String, EventEnvelope> sessions,
        TopicDescriptor<String, EventEnvelope> interactions,
        TopicDescriptor<String, EventEnvelope> evaluations,
        TopicDescriptor<byte[], byte[]> deadLetter) {

    public static final String DEFAULT_PREFIX = "mtp.";
    public static final int CONTRACT_VERSION = 1;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,100}");

    public static PersistenceTopics withPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' must be 0-100 characters of A-Z a-z 0-9 . _ -");
        }
        return new PersistenceTopics(
                envelopes(prefix, TopicRole.SESSIONS),
                envelopes(prefix, TopicRole.INTERACTIONS),
                envelopes(prefix, TopicRole.EVALUATIONS),
                new TopicDescriptor<>(name(prefix, TopicRole.DEAD_LETTER), TopicRole.DEAD_LETTER,
                        Serdes.ByteArray(), Serdes.ByteArray()));
    }

    public static PersistenceTopics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** The topic an event of this type is published to. */
    public TopicDescriptor<String, EventEnvelope> forType(EventType type) {
        return switch (type.topic()) {
            case SESSIONS -> sessions;
            case INTERACTIONS -> interactions;
            case EVALUATIONS -> evaluations;
            case DEAD_LETTER -> throw new IllegalArgumentException("no event type is published to the dead-letter topic");
        };
    }

    /** The three event topics, which must share a partition count. */
    public List<TopicDescriptor<String, EventEnvelope>> eventTopics() {
        return List.of(sessions, interactions, evaluations);
    }

    public List<String> allNames() {
        return List.of(sessions.name(), interactions.name(), evaluations.name(), deadLetter.name());
    }

    private static TopicDescriptor<String, EventEnvelope> envelopes(String prefix, TopicRole role) {
        return new TopicDescriptor<>(name(prefix, role), role, Serdes.String(), new EventEnvelopeSerde());
    }

    private static String name(String prefix, TopicRole role) {
        return prefix + role.baseName() + ".v" + CONTRACT_VERSION;
    }
}
