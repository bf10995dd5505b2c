package dev.mtp.cachestore;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.Ids;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;

import java.util.List;
import java.util.Objects;

/**
 * One version-guarded change to the keys of one session, executed by {@link CacheStore#write} as one Lua script
 * call. Build them with the factories, which apply the projection rules of {@code common.projection}:
 * <ul>
 *   <li>{@link #session(SessionState, boolean)}: the session key for a state (cache-writer, reconciler);</li>
 *   <li>{@link #interaction(EventEnvelope, long)}: an interaction key and the latest-response key for an
 *       interaction event at its offset (cache-writer, ingest fast path after the Kafka ack).</li>
 * </ul>
 */
public sealed interface CacheWrite {

    String sessionId();

    /** Sets the session key to {@code value}, built from the state at {@code versions} ([sessions, interactions]). */
    record PutSession(String sessionId, Projection<SessionField> value, VersionVector versions) implements CacheWrite {
        public PutSession {
            Ids.require("sessionId", sessionId);
            Objects.requireNonNull(value, "value");
            requireSize(versions, 2);
        }
    }

    /**
     * Removes the session key (strategy NONE, or its TTL has passed), leaving a tombstone at {@code versions}.
     *
     * @param tombstoneIfAbsent leave the tombstone even when no key is there: when an older state may have been
     *                          cached by someone else (a strategy change to NONE), so a late write of it stays out
     */
    record RemoveSession(String sessionId, VersionVector versions, boolean tombstoneIfAbsent) implements CacheWrite {
        public RemoveSession {
            Ids.require("sessionId", sessionId);
            requireSize(versions, 2);
        }
    }

    /** A deleted session: all its keys go, and the session key keeps a tombstone at {@code versions}. */
    record PurgeSession(String sessionId, VersionVector versions) implements CacheWrite {
        public PurgeSession {
            Ids.require("sessionId", sessionId);
            requireSize(versions, 2);
        }
    }

    /** Sets an interaction key (and adds it to the session's interaction index) at the interactions offset. */
    record PutInteraction(String sessionId, String interactionId, Projection<InteractionField> value, long version)
            implements CacheWrite {
        public PutInteraction {
            Ids.require("sessionId", sessionId);
            Ids.require("interactionId", interactionId);
            Objects.requireNonNull(value, "value");
        }
    }

    /** Removes an interaction key (strategy NONE), if there is one. */
    record RemoveInteraction(String sessionId, String interactionId, long version) implements CacheWrite {
        public RemoveInteraction {
            Ids.require("sessionId", sessionId);
            Ids.require("interactionId", interactionId);
        }
    }

    /** Sets the session's latest-response key at the interactions offset of that interaction. */
    record PutLatestResponse(String sessionId, Projection<InteractionField> value, long version) implements CacheWrite {
        public PutLatestResponse {
            Ids.require("sessionId", sessionId);
            Objects.requireNonNull(value, "value");
        }
    }

    /** Removes the latest-response key, if there is one: the latest interaction is not cached (NONE). */
    record RemoveLatestResponse(String sessionId, long version) implements CacheWrite {
        public RemoveLatestResponse {
            Ids.require("sessionId", sessionId);
        }
    }

    // ---------------------------------------------------------------- factories

    /**
     * The session key's write for a state: put its projection, purge it when deleted, remove it when its strategy is
     * NONE; null when there is nothing to write (never created).
     */
    static CacheWrite session(SessionState state, boolean tombstoneIfAbsent) {
        VersionVector versions = VersionVector.session(state.sessionVersion(), state.interactionsVersion());
        return switch (state.lifecycle()) {
            case UNKNOWN -> null;
            case DELETED -> new PurgeSession(state.sessionId(), versions);
            case LIVE -> SessionProjection.of(state)
                    .<CacheWrite>map(p -> new PutSession(state.sessionId(), p, versions))
                    .orElseGet(() -> new RemoveSession(state.sessionId(), versions, tombstoneIfAbsent));
        };
    }

    /** The interaction key's write for an interaction event at its offset. */
    static CacheWrite interactionKey(EventEnvelope event, long offset) {
        return InteractionProjection.of(event)
                .<CacheWrite>map(p -> new PutInteraction(event.sessionId(), event.entityId(), p, offset))
                .orElseGet(() -> new RemoveInteraction(event.sessionId(), event.entityId(), offset));
    }

    /** The latest-response key's write when this event is the session's latest interaction. */
    static CacheWrite latestResponse(EventEnvelope event, long offset) {
        return InteractionProjection.latestResponse(event)
                .<CacheWrite>map(p -> new PutLatestResponse(event.sessionId(), p, offset))
                .orElseGet(() -> new RemoveLatestResponse(event.sessionId(), offset));
    }

    /** Both writes of one interaction event: its key and the latest-response key (the ingest fast path). */
    static List<CacheWrite> interaction(EventEnvelope event, long offset) {
        return List.of(interactionKey(event, offset), latestResponse(event, offset));
    }

    private static void requireSize(VersionVector versions, int size) {
        Objects.requireNonNull(versions, "versions");
        if (versions.size() != size) {
            throw new IllegalArgumentException("expected " + size + " versions, got " + versions);
        }
    }
}
