package dev.mtp.common.version;

import dev.mtp.common.topic.TopicRole;

/**
 * The version of the state an event writes: the event's position in its topic.
 *
 * <p>The rule (see docs/decisions/0001-versions-from-offsets.md):
 * <ol>
 *   <li>Records are keyed by session id, so all events of one session on one topic are in one
 *       partition, where Kafka orders them by offset. That order is the truth every sink follows;
 *       producers' clocks play no part, and a producer retry (idempotent) never reorders.</li>
 *   <li>Offsets are comparable within one topic only. So each topic <em>owns</em> its fields of a
 *       document ({@link FieldOwner}), and a stored state keeps one version per owning topic.</li>
 *   <li>An event applies only if its offset is greater than the stored version of the fields it owns;
 *       an equal offset is the same event again (redelivery, replay) and changes nothing.</li>
 * </ol>
 * Versions belong to a topic's lifetime: recreating a topic restarts its offsets, so a store fed from
 * a recreated topic is rebuilt from empty (the ops rebuild procedure), never merged.
 */
public record EventVersion(TopicRole topic, long offset) implements Comparable<EventVersion> {

    /** The version of state no event has written yet. */
    public static final long NONE = -1L;

    public EventVersion {
        if (topic == null || topic == TopicRole.DEAD_LETTER) {
            throw new IllegalArgumentException("a version belongs to a persistence topic, not " + topic);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
    }

    /** True when an event at this version must be applied over state stored at {@code storedOffset}. */
    public boolean supersedes(long storedOffset) {
        return VersionRule.supersedes(offset, storedOffset);
    }

    @Override
    public int compareTo(EventVersion other) {
        if (topic != other.topic) {
            throw new IllegalArgumentException("versions of " + topic + " and " + other.topic + " are not comparable");
        }
        return Long.compare(offset, other.offset);
    }
}
