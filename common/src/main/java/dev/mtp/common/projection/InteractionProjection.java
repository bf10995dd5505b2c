package dev.mtp.common.projection;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.InteractionField;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An interaction key's value (seed: "Interaction Cache Strategies"), and the value of its session's
 * "latest interaction response" key. An interaction is a full record, so its projection needs no state. Both keys
 * expire the strategy's TTL after the interaction was recorded.
 */
public final class InteractionProjection {

    /** The fields of the latest-response key: enough to answer "what did the assistant last say". */
    public static final Set<InteractionField> LATEST_RESPONSE_FIELDS = Set.copyOf(EnumSet.of(
            InteractionField.INTERACTION_ID, InteractionField.SESSION_ID, InteractionField.RESPONSE,
            InteractionField.RECORDED_AT));

    private InteractionProjection() {}

    /** The interaction key's value; empty when its strategy is NONE. */
    public static Optional<Projection<InteractionField>> of(EventEnvelope event) {
        return project(event, null);
    }

    /**
     * The latest-response key's value when this is the session's latest interaction; empty when its strategy is
     * NONE (then no older response may stand in as the latest).
     */
    public static Optional<Projection<InteractionField>> latestResponse(EventEnvelope event) {
        return project(event, LATEST_RESPONSE_FIELDS);
    }

    private static Optional<Projection<InteractionField>> project(EventEnvelope event, Set<InteractionField> only) {
        if (event.type() != EventType.INTERACTION_RECORDED) {
            throw new IllegalArgumentException(event.type().wireName() + " is not an interaction");
        }
        InteractionCacheStrategy strategy = event.interactionStrategy().orElseThrow();
        if (!strategy.caches()) {
            return Optional.empty();
        }
        InteractionRecorded r = (InteractionRecorded) event.payload();
        Map<InteractionField, Object> fields = new EnumMap<>(InteractionField.class);
        for (InteractionField field : strategy.fields()) {
            if (only != null && !only.contains(field)) {
                continue;
            }
            Object value = switch (field) {
                case INTERACTION_ID -> event.entityId();
                case SESSION_ID -> event.sessionId();
                case RESPONSE -> r.response();
                case RECORDED_AT -> event.occurredAt();
                case REQUEST -> r.request();
                case CONTEXT -> r.context();
                case ROLE -> r.role();
                case METADATA -> r.metadata();
                case PROCESSING_TIME_MS -> r.processingTimeMs();
                case CACHE_STRATEGY -> strategy.name();
            };
            if (value != null) {
                fields.put(field, value);
            }
        }
        return Optional.of(new Projection<>(strategy, fields, event.occurredAt().plus(strategy.ttl().orElseThrow())));
    }
}
