package dev.mtp.ingest.application;

import dev.mtp.common.event.EventEnvelope;

import java.util.concurrent.CompletableFuture;

/** Outbound port: puts an event on its topic; success means Kafka acknowledged it. */
public interface EventPublisher {

    /**
     * Sends and waits, bounded, for the acknowledgement.
     *
     * @throws PublishFailedException when Kafka did not acknowledge within the bounded wait; the
     *                                caller must not report success
     */
    Published publish(EventEnvelope event);

    /**
     * Sends without waiting; events sent one after another from one thread keep their order per
     * session. The future fails with {@link PublishFailedException}; it completes within the bounded wait.
     */
    CompletableFuture<Published> publishAsync(EventEnvelope event);

    /** Sends not yet acknowledged: the backlog the adaptive sync counts as load. */
    long backlog();
}
