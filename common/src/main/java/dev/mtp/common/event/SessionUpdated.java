package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * A partial update of a session (seed: update_session). An absent field is unchanged.
 * Context and metadata are merged key by key at the top level; a key mapped to null is removed.
 * A change of cache strategy travels in the envelope's cacheStrategy.
 */
public record SessionUpdated(
        String userId,
        String status,
        // A key mapped to null means "remove it": the nulls inside the maps must survive encoding, which the
        // project-wide NON_NULL inclusion would otherwise drop.
        @JsonInclude(value = JsonInclude.Include.NON_NULL, content = JsonInclude.Include.ALWAYS)
        Map<String, Object> context,
        @JsonInclude(value = JsonInclude.Include.NON_NULL, content = JsonInclude.Include.ALWAYS)
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

    @JsonIgnore
    public boolean isEmpty() {
        return userId == null && status == null && context == null && metadata == null;
    }
}
