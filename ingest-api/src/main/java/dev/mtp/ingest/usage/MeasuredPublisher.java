package dev.mtp.ingest.usage;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.ingest.application.EventPublisher;
import dev.mtp.ingest.application.Published;

import java.util.concurrent.CompletableFuture;

/** The publish port with every acknowledged event counted (strategy, bytes): a decorator, the publisher is unchanged. */
public final class MeasuredPublisher implements EventPublisher {
    private final EventPublisher publisher;
    private final UsageRecorder recorder;

    public MeasuredPublisher(EventPublisher publisher, UsageRecorder recorder) {
        this.publisher = publisher;
        this.recorder = recorder;
    }

    @Override
    public Published publish(EventEnvelope event) {
        Published published = publisher.publish(event);
        recorder.write(event, published.valueBytes());
        return published;
    }

    @Override
    public CompletableFuture<Published> publishAsync(EventEnvelope event) {
        return publisher.publishAsync(event).thenApply(published -> {
            recorder.write(event, published.valueBytes());
            return published;
        });
    }

    @Override
    public long backlog() {
        return publisher.backlog();
    }
}
