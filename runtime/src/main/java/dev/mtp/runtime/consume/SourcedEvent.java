package dev.mtp.runtime.consume;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;

/**
 * A decoded event with where it came from. Its {@link #version()} is the version of the state it writes
 * (docs/decisions/0001, 0012): its offset in the incarnation of its topic being consumed, owned by its topic.
 */
public record SourcedEvent(EventEnvelope event, TopicRole topicRole, String topic, int partition, long offset,
                           Incarnation incarnation) {

    public Version version() {
        return Version.of(incarnation, offset);
    }
}
