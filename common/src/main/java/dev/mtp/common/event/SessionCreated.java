package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A session was started (seed: persist_session). The session id is the envelope's; the creation
 * time is the envelope's occurredAt. Context and metadata are free-form user maps.
 */
public record SessionCreated(
        @JsonProperty(required = true) String userId,
        @JsonProperty(required = true) String status,
        Map<String, Object> context,
        Map<String, Object> metadata) implements EventPayload {

    public SessionCreated {
        Ids.require("payload.userId", userId);
        Statuses.require("payload.status", status);
        context = UserMaps.copyOf(context);
        metadata = UserMaps.copyOf(metadata);
    }
}
