package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Every event of the contract: its wire name, its payload record, the topic it travels on. */
public enum EventType {
    SESSION_CREATED("session.created", SessionCreated.class, TopicRole.SESSIONS),
    SESSION_UPDATED("session.updated", SessionUpdated.class, TopicRole.SESSIONS),
    SESSION_CLOSED("session.closed", SessionClosed.class, TopicRole.SESSIONS),
    SESSION_DELETED("session.deleted", SessionDeleted.class, TopicRole.SESSIONS),
    INTERACTION_RECORDED("interaction.recorded", InteractionRecorded.class, TopicRole.INTERACTIONS),
    EVALUATION_RECORDED("evaluation.recorded", EvaluationRecorded.class, TopicRole.EVALUATIONS);

    private final String wireName;
    private final Class<? extends EventPayload> payloadType;
    private final TopicRole topic;

    EventType(String wireName, Class<? extends EventPayload> payloadType, TopicRole topic) {
        this.wireName = wireName;
        this.payloadType = payloadType;
        this.topic = topic;
    }

    @JsonValue
    public String wireName() { return wireName; }

    public Class<? extends EventPayload> payloadType() { return payloadType; }

    public TopicRole topic() { return topic; }

    /** Which strategy family the envelope's cacheStrategy names, if any. */
    public EntityType cachedEntity() {
        return switch (topic) {
            case SESSIONS -> EntityType.SESSION;
            case INTERACTIONS -> EntityType.INTERACTION;
            case EVALUATIONS, DEAD_LETTER -> null;
        };
    }

    @JsonCreator
    public static EventType fromWireName(String wireName) {
        for (EventType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        throw new InvalidEventException("type", "'" + wireName + "' is not one of " + wireNames());
    }

    public static EventType of(EventPayload payload) {
        for (EventType type : values()) {
            if (type.payloadType.isInstance(payload)) {
                return type;
            }
        }
        throw new IllegalStateException("no event type for " + payload.getClass());
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
