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
import dev.mtp.ingest.application.read.EntityVersion;
import dev.mtp.ingest.application.sync.AdaptiveSync;
import dev.mtp.ingest.application.sync.SyncMethod;
import dev.mtp.ingest.application.sync.SyncResult;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return new Accepted(published, sync.afterAck(published.event(), published.partition(), published.offset()));
    }

    /**
     * Publishes the writes of a batch, each session's in the batch's order: a session's write is sent only after the
     * one before it was acknowledged ({@link BatchRounds}), so when one fails, that session's later writes are not
     * published at all and say which write they waited for; Kafka orders nothing across topics, so only waiting
     * keeps a session's interaction from landing after its create failed. Writes of different sessions go out
     * together. Bulk producers want throughput, so the batch goes by the event path only.
     */
    public List<BatchOutcome> writeBatch(List<Commands.Write> commands) {
        List<EventEnvelope> events = commands.stream().map(this::toEvent).toList();
        BatchOutcome[] outcomes = new BatchOutcome[events.size()];
        Map<String, Integer> failedWriteOfSession = new HashMap<>();
        for (List<Integer> round : BatchRounds.of(events.stream().map(EventEnvelope::sessionId).toList())) {
            Map<Integer, CompletableFuture<Published>> sends = new LinkedHashMap<>();
            for (int i : round) {
                Integer failed = failedWriteOfSession.get(events.get(i).sessionId());
                if (failed != null) {
                    outcomes[i] = new BatchOutcome.NotSent(failed);
                } else {
                    sends.put(i, publisher.publishAsync(events.get(i)));
                }
            }
            sends.forEach((i, send) -> {
                outcomes[i] = outcome(send);
                if (outcomes[i] instanceof BatchOutcome.Failed) {
                    failedWriteOfSession.put(events.get(i).sessionId(), i);
                }
            });
        }
        return List.of(outcomes);
    }

    private static BatchOutcome outcome(CompletableFuture<Published> send) {
        try {
            return new BatchOutcome.Acknowledged(new Accepted(send.join(), BATCH_SYNC));
        } catch (CompletionException e) {
            return new BatchOutcome.Failed(e.getCause() instanceof PublishFailedException p ? p
                    : new PublishFailedException("Kafka did not accept the event: " + e.getCause().getMessage(), e.getCause()));
        }
    }

    /** One write of a batch: acknowledged, failed, or not sent because an earlier write of its session failed. */
    public sealed interface BatchOutcome {
        record Acknowledged(Accepted accepted) implements BatchOutcome {}

        record Failed(PublishFailedException failure) implements BatchOutcome {}

        /** @param failedWrite the index in the batch of the session's write that failed before this one */
        record NotSent(int failedWrite) implements BatchOutcome {}
    }

    public Optional<EntityReader.Found> getSession(String sessionId, EntityVersion minVersion) {
        return requireReader().session(sessionId, minVersion);
    }

    public Optional<EntityReader.Found> getInteraction(String interactionId, String sessionId, EntityVersion minVersion) {
        return requireReader().interaction(interactionId, sessionId, minVersion);
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
