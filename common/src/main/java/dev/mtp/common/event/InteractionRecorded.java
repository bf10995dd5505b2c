package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * One request/response turn of a session (seed: persist_interaction). The interaction id is the
 * envelope's entityId; the recording time is the envelope's occurredAt.
 */
public record InteractionRecorded(
        @JsonProperty(required = true) String role,
        String request,
        String response,
        Map<String, Object> context,
        Map<String, Object> metadata,
        Long processingTimeMs) implements EventPayload {

    public static final int MAX_ROLE_LENGTH = 32;

    public InteractionRecorded {
        if (role == null || role.isBlank()) {
            throw new InvalidEventException("payload.role", "is required");
        }
        if (role.length() > MAX_ROLE_LENGTH) {
            throw new InvalidEventException("payload.role", "must be at most " + MAX_ROLE_LENGTH + " characters");
        }
        if (request == null && response == null) {
            throw new InvalidEventException("payload.response", "request or response is required");
        }
        if (processingTimeMs != null && processingTimeMs < 0) {
            throw new InvalidEventException("payload.processingTimeMs", "must be >= 0");
        }
        context = UserMaps.copyOf(context);
        metadata = UserMaps.copyOf(metadata);
    }
}
