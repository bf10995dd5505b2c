package dev.mtp.ingest.application;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.strategy.CacheStrategy;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The ingest's use cases: each write becomes one event, published and acknowledged before the
 * caller hears of success. Both inbound adapters (MCP tools, plain HTTP) call this one service.
 */
public final class PersistenceService {
    private final EventPublisher publisher;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final String producer;

    public PersistenceService(EventPublisher publisher, Clock clock, Supplier<UUID> ids, String producer) {
        this.publisher = publisher;
        this.clock = clock;
        this.ids = ids;
        this.producer = producer;
    }

    public Published persistSession(Commands.PersistSession command) {
        return publish(command.sessionId(), command.sessionId(), command.cacheStrategy(),
                new SessionCreated(command.userId(), command.status(), command.context(), command.metadata()));
    }

    public Published updateSession(Commands.UpdateSession command) {
        return publish(command.sessionId(), command.sessionId(), command.cacheStrategy(),
                new SessionUpdated(command.userId(), command.status(), command.context(), command.metadata()));
    }

    public Published persistInteraction(Commands.PersistInteraction command) {
        return publish(command.sessionId(), command.interactionId(), command.cacheStrategy(),
                new InteractionRecorded(command.role(), command.request(), command.response(),
                        command.context(), command.metadata(), command.processingTimeMs()));
    }

    public Published persistEvaluation(Commands.PersistEvaluation command) {
        String sessionId = command.entityType() == EntityType.SESSION ? command.entityId() : command.sessionId();
        return publish(sessionId, command.entityId(), null,
                new EvaluationRecorded(command.entityType(), command.evaluationData()));
    }

    private Published publish(String sessionId, String entityId, CacheStrategy<?> strategy, EventPayload payload) {
        EventEnvelope event = EventEnvelope.of(ids.get(), sessionId, entityId,
                strategy == null ? null : strategy.name(), clock.instant(), producer, payload);
        return publisher.publish(event);
    }
}
