package dev.mtp.ingest.application;

import dev.mtp.common.event.EventEnvelope;

/** Outbound port: puts an event on its topic and returns only once Kafka acknowledged it. */
public interface EventPublisher {

    /**
     * @throws PublishFailedException when Kafka did not acknowledge within the bounded wait; the
     *                                caller must not report success
     */
    Published publish(EventEnvelope event);
}
