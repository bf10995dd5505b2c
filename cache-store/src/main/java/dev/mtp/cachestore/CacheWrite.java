package dev.mtp.cachestore;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.Ids;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.OtherIncarnations;

import java.util.List;
import java.util.Objects;

/**
 * One version-guarded change to the keys of one session, executed by {@link CacheStore#write} as one Lua script
 * call. Build them with the factories, which apply the projection rules of {@code common.projection}:
 * <ul>
 *   <li>{@link #session(SessionState, boolean, OtherIncarnations)}: the session key for a state (cache-writer,
 *       reconciler);</li>
 *   <li>{@link #interaction(EventEnvelope, Version, OtherIncarnations)}: an interaction key and the latest-response
 *       key for an interaction event at its version (cache-writer, ingest fast path after the Kafka ack).</li>
 * </ul>
 * Every write carries what it does to state of another incarnation ({@link #others()}: {@code SUPERSEDE} for a
 * consumer of the incarnation it writes, {@code KEEP} for a writer that relays, docs/decisions/0012). Its versions
 * name their incarnations, except a component carried over from state stored before incarnations were recorded (a
 * session state restored after an upgrade), which keeps its unknown incarnation until an event of its topic applies.
 */
public sealed interface CacheWrite {

    String sessionId();

    /** What the write does to stored state of another incarnation of a topic. */
    OtherIncarnations others();

    /** Sets the session key to {@code value}, built from the state at {@code versions} ([sessions, interactions]). */
    record PutSession(String sessionId, Projection<SessionField> value, VersionVector versions,
                      OtherIncarnations others) implements CacheWrite {
        public PutSession {
            Ids.require("sessionId", sessionId);
            Objects.requireNonNull(value, "value");
            requireVersions(versions, 2, others);
        }
    }

    /**
     * Removes the session key (strategy NONE, or its TTL has passed), leaving a tombstone at {@code versions}.
     *
     * @param tombstoneIfAbsent leave the tombstone even when no key is there: when an older state may have been
     *                          cached by someone else (a strategy change to NONE), so a late write of it stays out
     */
    record RemoveSession(String sessionId, VersionVector versions, boolean tombstoneIfAbsent,
                         OtherIncarnations others) implements CacheWrite {
        public RemoveSession {
            Ids.require("sessionId", sessionId);
            requireVersions(versions, 2, others);
        }
    }

    /** A deleted session: all its keys go, and the session key keeps a tombstone at {@code versions}. */
    record PurgeSession(String sessionId, VersionVector versions, OtherIncarnations others) implements CacheWrite {
        public PurgeSession {
            Ids.require("sessionId", sessionId);
            requireVersions(versions, 2, others);
        }
    }

    /** Sets an interaction key (and adds it to the session's interaction index) at the interactions version. */
    record PutInteraction(String sessionId, String interactionId, Projection<InteractionField> value, Version version,
                          OtherIncarnations others) implements CacheWrite {
        public PutInteraction {
            Ids.require("sessionId", sessionId);
            Ids.require("interactionId", interactionId);
            Objects.requireNonNull(value, "value");
            requireEventVersion(version, others);
        }
    }

    /** Removes an interaction key (strategy NONE), if there is one. */
    record RemoveInteraction(String sessionId, String interactionId, Version version, OtherIncarnations others)
            implements CacheWrite {
        public RemoveInteraction {
            Ids.require("sessionId", sessionId);
            Ids.require("interactionId", interactionId);
            requireEventVersion(version, others);
        }
    }

    /** Sets the session's latest-response key at the interactions version of that interaction. */
    record PutLatestResponse(String sessionId, Projection<InteractionField> value, Version version,
                             OtherIncarnations others) implements CacheWrite {
        public PutLatestResponse {
            Ids.require("sessionId", sessionId);
            Objects.requireNonNull(value, "value");
            requireEventVersion(version, others);
        }
    }

    /** Removes the latest-response key, if there is one: the latest interaction is not cached (NONE). */
    record RemoveLatestResponse(String sessionId, Version version, OtherIncarnations others) implements CacheWrite {
        public RemoveLatestResponse {
            Ids.require("sessionId", sessionId);
            requireEventVersion(version, others);
        }
    }

    // ---------------------------------------------------------------- factories

    /** A session key's versions for a state, "no interaction yet" scoped to the consumed incarnation. */
    static VersionVector sessionVersions(SessionState state, Incarnation interactionsConsumed) {
        return VersionVector.session(state.sessionVersion(), state.interactionsVersion().orNoneIn(interactionsConsumed));
    }

    /**
     * The session key's write for a state: put its projection, purge it when deleted, remove it when its strategy is
     * NONE; null when there is nothing to write (never created). A session with no interaction yet is written as
     * having none in {@code interactionsConsumed}, the incarnation of the interactions topic the writer consumes, so
     * that a summary a key kept from another incarnation is replaced too (docs/decisions/0012).
     */
    static CacheWrite session(SessionState state, boolean tombstoneIfAbsent, OtherIncarnations others,
                              Incarnation interactionsConsumed) {
        VersionVector versions = sessionVersions(state, interactionsConsumed);
        return switch (state.lifecycle()) {
            case UNKNOWN -> null;
            case DELETED -> new PurgeSession(state.sessionId(), versions, others);
            case LIVE -> SessionProjection.of(state)
                    .<CacheWrite>map(p -> new PutSession(state.sessionId(), p, versions, others))
                    .orElseGet(() -> new RemoveSession(state.sessionId(), versions, tombstoneIfAbsent, others));
        };
    }

    /** The interaction key's write for an interaction event at its version. */
    static CacheWrite interactionKey(EventEnvelope event, Version version, OtherIncarnations others) {
        return InteractionProjection.of(event)
                .<CacheWrite>map(p -> new PutInteraction(event.sessionId(), event.entityId(), p, version, others))
                .orElseGet(() -> new RemoveInteraction(event.sessionId(), event.entityId(), version, others));
    }

    /** The latest-response key's write when this event is the session's latest interaction. */
    static CacheWrite latestResponse(EventEnvelope event, Version version, OtherIncarnations others) {
        return InteractionProjection.latestResponse(event)
                .<CacheWrite>map(p -> new PutLatestResponse(event.sessionId(), p, version, others))
                .orElseGet(() -> new RemoveLatestResponse(event.sessionId(), version, others));
    }

    /** Both writes of one interaction event: its key and the latest-response key (the ingest fast path). */
    static List<CacheWrite> interaction(EventEnvelope event, Version version, OtherIncarnations others) {
        return List.of(interactionKey(event, version, others), latestResponse(event, version, others));
    }

    private static void requireVersions(VersionVector versions, int size, OtherIncarnations others) {
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(others, "others");
        if (versions.size() != size) {
            throw new IllegalArgumentException("versions: expected " + size + " components, got " + versions);
        }
    }

    /** The version of the one event an interaction-like key is written from. */
    private static void requireEventVersion(Version version, OtherIncarnations others) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(others, "others");
        if (version.isNone()) {
            throw new IllegalArgumentException("version: the offset of the event the key is written from, not -1");
        }
    }
}
