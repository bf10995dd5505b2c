package dev.mtp.runtime.consume;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.common.version.EventVersion;

/**
 * A decoded event with where it came from. Its {@link #version()} is the version of the state it
 * writes (docs/decisions/0001): its offset, owned by its topic.
 */
public record SourcedEvent(EventEnvelope event, TopicRole topicRole, String topic, int partition, long offset) {

    public EventVersion version() {
        return new EventVersion(topicRole, offset);
    }
}
