package dev.mtp.common.projection;

import dev.mtp.common.event.Ids;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.version.Version;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The full latest state of one session, as the events of its two owning topics built it
 * ({@link dev.mtp.common.version.FieldOwner}): the session fields, versioned by their sessions-topic offset and
 * incarnation {@link #sessionVersion()}, and the interaction summary, versioned by its interactions-topic offset and
 * incarnation {@link #interactionsVersion()} (docs/decisions/0012). Built only by {@link SessionFold}; immutable.
 *
 * @param lifecycle          whether a {@code session.created} was applied, and not deleted since
 * @param strategy           the session's cache strategy; null until a {@code session.created}
 * @param interactionIds     the distinct interactions recorded since the session was (re)created
 * @param lastInteractionId  the interaction with the highest interactions offset, if any
 * @param lastActivityAt     when that interaction was recorded
 */
public record SessionState(
        String sessionId,
        Version sessionVersion,
        Version interactionsVersion,
        Lifecycle lifecycle,
        String userId,
        String status,
        Map<String, Object> context,
        Map<String, Object> metadata,
        SessionCacheStrategy strategy,
        Instant createdAt,
        Instant updatedAt,
        Instant closedAt,
        InteractionIdSet interactionIds,
        String lastInteractionId,
        Instant lastActivityAt) {

    /** Where a session is in its life, as far as the sessions topic told. */
    public enum Lifecycle {
        /** No {@code session.created} seen (yet): interactions may arrive first, on their own topic. */
        UNKNOWN,
        /** Created and not deleted: its projection is cached per its strategy. */
        LIVE,
        /** Deleted: nothing of it is cached, and interactions are ignored until it is created again. */
        DELETED
    }

    public SessionState {
        Ids.require("sessionId", sessionId);
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(sessionVersion, "sessionVersion");
        Objects.requireNonNull(interactionsVersion, "interactionsVersion");
        context = immutable(context);
        metadata = immutable(metadata);
        interactionIds = interactionIds == null ? InteractionIdSet.EMPTY : interactionIds;
        if (lifecycle == Lifecycle.LIVE) {
            Objects.requireNonNull(strategy, "a live session has a strategy");
            Objects.requireNonNull(createdAt, "a live session has createdAt");
            Objects.requireNonNull(updatedAt, "a live session has updatedAt");
        }
    }

    /** The state of a session no event has touched. */
    public static SessionState empty(String sessionId) {
        return new SessionState(sessionId, Version.NONE, Version.NONE, Lifecycle.UNKNOWN, null, null,
                Map.of(), Map.of(), null, null, null, null, InteractionIdSet.EMPTY, null, null);
    }

    public boolean isLive() {
        return lifecycle == Lifecycle.LIVE;
    }

    /** Distinct interactions recorded since the session was (re)created. */
    public long interactionCount() {
        return interactionIds.size();
    }

    /** The latest time any event of either topic touched this session; absent for an untouched state. */
    public Optional<Instant> lastEventAt() {
        if (updatedAt == null) {
            return Optional.ofNullable(lastActivityAt);
        }
        if (lastActivityAt == null) {
            return Optional.of(updatedAt);
        }
        return Optional.of(updatedAt.isAfter(lastActivityAt) ? updatedAt : lastActivityAt);
    }

    private static Map<String, Object> immutable(Map<String, Object> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
