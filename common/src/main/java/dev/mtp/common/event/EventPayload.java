package dev.mtp.common.event;

/** The type-specific part of an event. Each event type has exactly one payload record. */
public sealed interface EventPayload
        permits SessionCreated, SessionUpdated, SessionClosed, SessionDeleted,
                InteractionRecorded, EvaluationRecorded {
}
