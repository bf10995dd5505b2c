package dev.mtp.ingest.application;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.sync.AdaptiveSync;
import dev.mtp.ingest.application.sync.SyncMethod;
import dev.mtp.ingest.application.sync.SyncResult;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The ingest's use cases. Each write becomes one event, published and acknowledged by Kafka before
 * the caller hears of success; then the adaptive sync may also write the cache directly. Reads go
 * Redis first, MongoDB second. Both inbound adapters (MCP tools, JSON API) call this one service.
 */
public final class PersistenceService {
    private static final SyncResult BATCH_SYNC = new SyncResult(SyncMethod.KAFKA_EVENT, "batch writes go by the event path");
    private final EventPublisher publisher;
    private final AdaptiveSync sync;
    private final Optional<EntityReader> reader;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final String producer;

    public PersistenceService(EventPublisher publisher, AdaptiveSync sync, Optional<EntityReader> reader, Clock clock,
                              Supplier<UUID> ids, String producer) {
        this.publisher = publisher;
        this.sync = sync;
        this.reader = reader;
        this.clock = clock;
        this.ids = ids;
        this.producer = producer;
    }

    public Accepted persistSession(Commands.PersistSession command) {
        return write(command);
    }

    /**
     * Publishes the partial update; the stores need not have the session yet. Events of a session are
     * ordered on its partition, so an update published after a create is applied after it. An update
     * of a session never created is accepted too: the ingest is stateless and cannot know
     * (docs/decisions/0004 says what the writers do with it).
     */
    public Accepted updateSession(Commands.UpdateSession command) {
        return write(command);
    }

    public Accepted persistInteraction(Commands.PersistInteraction command) {
        return write(command);
    }

    public Accepted persistEvaluation(Commands.PersistEvaluation command) {
        return write(command);
    }

    public Accepted write(Commands.Write command) {
        Published published = publisher.publish(toEvent(command));
        return new Accepted(published, sync.afterAck(published));
    }

    /**
     * Publishes every write of a batch, in order (so a session's events keep the batch's order), and
     * waits for all acknowledgements. Each item gets its own outcome: an {@link Accepted} or the
     * {@link PublishFailedException} that kept it from being acknowledged. Bulk producers want
     * throughput, so the batch goes by the event path only.
     */
    public List<BatchOutcome> writeBatch(List<Commands.Write> commands) {
        List<CompletableFuture<Published>> sends = new ArrayList<>(commands.size());
        for (Commands.Write command : commands) {
            sends.add(publisher.publishAsync(toEvent(command)));
        }
        List<BatchOutcome> outcomes = new ArrayList<>(commands.size());
        for (CompletableFuture<Published> send : sends) {
            try {
                Published published = send.join();
                outcomes.add(new BatchOutcome(new Accepted(published, BATCH_SYNC), null));
            } catch (CompletionException e) {
                PublishFailedException failure = e.getCause() instanceof PublishFailedException p ? p
                        : new PublishFailedException("Kafka did not accept the event: " + e.getCause().getMessage(), e.getCause());
                outcomes.add(new BatchOutcome(null, failure));
            }
        }
        return outcomes;
    }

    /** One item of a batch: accepted, or failed (never both). */
    public record BatchOutcome(Accepted accepted, PublishFailedException failure) {}

    public Optional<EntityReader.Found> getSession(String sessionId) {
        return requireReader().session(sessionId);
    }

    public Optional<EntityReader.Found> getInteraction(String interactionId, String sessionId) {
        return requireReader().interaction(interactionId, sessionId);
    }

    public boolean readsAvailable() {
        return reader.isPresent();
    }

    public AdaptiveSync sync() {
        return sync;
    }

    private EntityReader requireReader() {
        return reader.orElseThrow(() -> new IllegalStateException("reads are not configured"));
    }

    private EventEnvelope toEvent(Commands.Write command) {
        return switch (command) {
            case Commands.PersistSession c -> event(c.sessionId(), c.sessionId(), c.cacheStrategy(),
                    new SessionCreated(c.userId(), c.status(), c.context(), c.metadata()));
            case Commands.UpdateSession c -> event(c.sessionId(), c.sessionId(), c.cacheStrategy(),
                    new SessionUpdated(c.userId(), c.status(), c.context(), c.metadata()));
            case Commands.PersistInteraction c -> event(c.sessionId(), c.interactionId(), c.cacheStrategy(),
                    new InteractionRecorded(c.role(), c.request(), c.response(), c.context(), c.metadata(),
                            c.processingTimeMs()));
            case Commands.PersistEvaluation c -> event(
                    c.entityType() == EntityType.SESSION ? c.entityId() : c.sessionId(), c.entityId(), null,
                    new EvaluationRecorded(c.entityType(), c.evaluationData()));
        };
    }

    private EventEnvelope event(String sessionId, String entityId, CacheStrategy<?> strategy, EventPayload payload) {
        return EventEnvelope.of(ids.get(), sessionId, entityId, strategy == null ? null : strategy.name(),
                clock.instant(), producer, payload);
    }
}
