package dev.mtp.common.event;

import java.util.Map;

/**
 * A partial update of a session (seed: update_session). An absent field is unchanged.
 * Context and metadata are merged key by key at the top level; a key mapped to null is removed.
 * A change of cache strategy travels in the envelope's cacheStrategy.
 */
public record SessionUpdated(
        String userId,
        String status,
        Map<String, Object> context,
        Map<String, Object> metadata) implements EventPayload {

    public SessionUpdated {
        if (userId != null) {
            Ids.require("payload.userId", userId);
        }
        if (status != null) {
            Statuses.require("payload.status", status);
        }
        context = UserMaps.copyOfNullable(context);
        metadata = UserMaps.copyOfNullable(metadata);
    }

    public boolean isEmpty() {
        return userId == null && status == null && context == null && metadata == null;
    }
}
