package dev.mtp.ops.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.json.IsoInstants;
import dev.mtp.common.json.Json;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.ingest.application.Commands;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.ingest.application.Requests;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An old system's record, mapped, as the event the ingest would publish for the same request: validated by the
 * ingest's own {@link Requests} and {@link Input} (same rules, same messages), with an event id that depends only on
 * what the record is, so the same record imported twice is the same event and a second run can tell it was
 * published (docs/decisions/0019):
 * <ul>
 *   <li>a session: its session id;</li>
 *   <li>an interaction: its session and interaction id (an import requires the interaction id: the ingest would make
 *       one up, and a second run would make up another);</li>
 *   <li>an evaluation: the old system's evaluation id when mapped, else the evaluated entity and its data.</li>
 * </ul>
 * The event's time is the old record's {@value EntityKind#OCCURRED_AT} when it has one, else the time of the import.
 */
public final class ImportEvents {

    private static final String NAMESPACE = "mtp-import/v1\n";

    private final Requests requests;
    private final InputLimits limits;
    private final String producer;
    private final Clock clock;

    /**
     * @param sessionStrategy     the strategy of imported sessions that name none (null: importing no sessions)
     * @param interactionStrategy likewise for interactions
     */
    public ImportEvents(SessionCacheStrategy sessionStrategy, InteractionCacheStrategy interactionStrategy,
                        InputLimits limits, String producer, Clock clock) {
        // an import names its strategies; the profile only fills the kind it does not import
        this.requests = new Requests(StrategyDefaults.of(StrategyProfile.PRODUCTION, Optional.ofNullable(sessionStrategy),
                Optional.ofNullable(interactionStrategy)), UUID::randomUUID);
        this.limits = limits;
        this.producer = producer;
        this.clock = clock;
    }

    /** @throws InvalidInputException naming the field and the rule, as the ingest would answer */
    public EventEnvelope toEvent(EntityKind kind, Map<String, Object> mapped) {
        Map<String, Object> fields = new LinkedHashMap<>(mapped);
        Instant occurredAt = occurredAt(fields.remove(EntityKind.OCCURRED_AT));
        Object evaluationId = fields.remove(EntityKind.EVALUATION_ID);
        Input in = Input.of(fields, limits);
        return switch (kind) {
            case SESSIONS -> {
                Commands.PersistSession c = requests.persistSession(in);
                yield EventEnvelope.of(id("session", c.sessionId()), c.sessionId(), c.sessionId(),
                        c.cacheStrategy().name(), occurredAt, producer,
                        new SessionCreated(c.userId(), c.status(), c.context(), c.metadata()));
            }
            case INTERACTIONS -> {
                if (!in.has("interactionId")) {
                    throw in.invalid("interactionId", "is required for an import: a second run must find the "
                            + "same interaction");
                }
                Commands.PersistInteraction c = requests.persistInteraction(in);
                yield EventEnvelope.of(id("interaction", c.sessionId(), c.interactionId()), c.sessionId(),
                        c.interactionId(), c.cacheStrategy().name(), occurredAt, producer,
                        new InteractionRecorded(c.role(), c.request(), c.response(), c.context(), c.metadata(),
                                c.processingTimeMs()));
            }
            case EVALUATIONS -> {
                Commands.PersistEvaluation c = requests.persistEvaluation(in);
                UUID eventId = evaluationId != null ? id("evaluation", evaluationId.toString())
                        : id("evaluation", c.entityType().json(), c.entityId(), canonical(c.evaluationData()));
                yield EventEnvelope.of(eventId, c.entityType() == EntityType.SESSION ? c.entityId() : c.sessionId(),
                        c.entityId(), null, occurredAt, producer,
                        new EvaluationRecorded(c.entityType(), c.evaluationData()));
            }
        };
    }

    private Instant occurredAt(Object value) {
        switch (value) {
            case null -> {
                return clock.instant();
            }
            case Integer millis -> {
                return Instant.ofEpochMilli(millis);
            }
            case Long millis -> {
                return Instant.ofEpochMilli(millis);
            }
            case String text -> {
                try {
                    return IsoInstants.parse(text);
                } catch (DateTimeParseException e) {
                    throw new InvalidInputException(EntityKind.OCCURRED_AT, "must be an ISO-8601 instant, was '"
                            + text + "'");
                }
            }
            default -> throw new InvalidInputException(EntityKind.OCCURRED_AT,
                    "must be an ISO-8601 instant or epoch milliseconds, was " + value);
        }
    }

    static UUID id(String... parts) {
        return UUID.nameUUIDFromBytes((NAMESPACE + String.join("\n", parts)).getBytes(StandardCharsets.UTF_8));
    }

    /** The data as JSON with every object's keys sorted, so the same data gives the same id in any key order. */
    private static String canonical(Map<String, Object> data) {
        try {
            return Json.mapper().writeValueAsString(sorted(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("evaluation data cannot be written as JSON", e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), sorted(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ImportEvents::sorted).toList();
        }
        return value;
    }
}
