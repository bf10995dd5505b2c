package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.reconciler.shadow.Desired.Presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Folds one event into KVShadow: the session's state through {@link SessionFold} (the same fold cache-writer uses,
 * so both compute the same value for the same versions), then the desired state of every key the event touches,
 * through the same projections. No I/O and no clock: the caller passes the entries it holds and the time.
 *
 * <p>Which keys an event touches:
 * <ul>
 *   <li>every applied event: the session key (its state, versions and expiry move with both topics);</li>
 *   <li>{@code interaction.recorded}: its interaction key, and the latest-response key (the event is the session's
 *       newest interaction, since the fold applied it); both are unwanted while the session is deleted;</li>
 *   <li>{@code session.deleted}: also every interaction key and the latest-response key of the session held in
 *       the shadow: nothing of a deleted session is cached.</li>
 * </ul>
 * Versions are scoped to the incarnation of the event's topic being consumed (docs/decisions/0012): the fold consumes
 * it, so its events supersede state and entries of another incarnation whatever their offsets, as in cache-writer.
 * A duplicate or stale event (already folded: a restart re-reading uncommitted input, a replay) changes nothing.
 * When a changed key is checked is the caller's to decide: the entries it returns have no check time.
 */
public final class ShadowFold {

    /** The shadow's entries as the fold reads them. */
    public interface View {
        ShadowEntry get(String key);

        /** Every entry whose key starts with {@code prefix} (a session's interaction keys). */
        List<ShadowEntry> withPrefix(String prefix);
    }

    /**
     * What one event did: its fold decision, whether it applied over the session's state of another incarnation of
     * its topic (counted apart: the topic started a new life), and the entries to store.
     */
    public record Result(Decision decision, boolean supersededIncarnation, List<ShadowEntry> changed) {}

    private final CacheKeys keys;
    private final ValueCodec codec;

    /**
     * @param codec cache-store's codec with the cache's settings (compression): the desired value's hash is of the
     *              exact bytes cache-writer writes
     */
    public ShadowFold(CacheKeys keys, ValueCodec codec) {
        this.keys = keys;
        this.codec = codec;
    }

    public ValueCodec codec() {
        return codec;
    }

    public CacheKeys keys() {
        return keys;
    }

    public Result apply(View view, EventEnvelope event, Version version, long nowMs) {
        return apply(view, event, null, version, nowMs);
    }

    /**
     * @param encoded the event's bytes as read from its topic, which decode to {@code event} (null: encoded here when
     *                an interaction key needs them): an interaction key's entry stores them as they are
     * @param version the event's offset in the incarnation of its topic being consumed
     */
    public Result apply(View view, EventEnvelope event, byte[] encoded, Version version, long nowMs) {
        String sessionId = event.sessionId();
        String sessionKey = keys.session(sessionId);
        ShadowEntry sessionEntry = view.get(sessionKey);
        SessionState before = sessionEntry == null ? SessionState.empty(sessionId) : sessionEntry.state();
        SessionFold.Folded folded = SessionFold.apply(before, event, version);
        if (!folded.applied()) {
            return new Result(folded.decision(), false, List.of());
        }
        boolean superseded = VersionRule.crossesIncarnation(version, event.type().topic() == TopicRole.SESSIONS
                ? before.sessionVersion() : before.interactionsVersion());
        SessionState after = folded.state();
        List<ShadowEntry> changed = new ArrayList<>();
        changed.add(ShadowEntry.session(sessionKey, after, sessionDesired(after, codec), nowMs));
        boolean deleted = after.lifecycle() == SessionState.Lifecycle.DELETED;
        if (event.type() == EventType.INTERACTION_RECORDED) {
            VersionVector v = VersionVector.of(version);
            String interactionKey = keys.interaction(sessionId, event.entityId());
            String latestKey = keys.latestResponse(sessionId);
            if (encoded == null) {
                encoded = EventCodec.encode(event);
            }
            changed.add(ShadowEntry.interaction(interactionKey, event, encoded, version,
                    deleted ? deletedAt(v) : interactionDesired(event, v, codec), nowMs));
            changed.add(ShadowEntry.latestResponse(latestKey, event, encoded, version,
                    deleted ? deletedAt(v) : latestDesired(event, v, codec), nowMs));
        } else if (event.type() == EventType.SESSION_DELETED) {
            for (ShadowEntry e : view.withPrefix(keys.interactionPrefix(sessionId))) {
                if (e.desired().presence() != Presence.DELETED) {
                    changed.add(e.withDesired(deletedAt(e.desired().versions()), nowMs));
                }
            }
            ShadowEntry latest = view.get(keys.latestResponse(sessionId));
            if (latest != null && latest.desired().presence() != Presence.DELETED) {
                changed.add(latest.withDesired(deletedAt(latest.desired().versions()), nowMs));
            }
        }
        return new Result(Decision.APPLY, superseded, changed);
    }

    /** The session key's desired state for a session state. */
    public static Desired sessionDesired(SessionState state, ValueCodec codec) {
        VersionVector v = VersionVector.session(state.sessionVersion(), state.interactionsVersion());
        return switch (state.lifecycle()) {
            case UNKNOWN -> Desired.absent(Presence.UNKNOWN, "UNKNOWN", v);
            case DELETED -> deletedAt(v);
            case LIVE -> {
                Optional<Projection<SessionField>> p = SessionProjection.of(state);
                yield p.map(value -> new Desired(Presence.PRESENT, value.strategy().name(), v,
                                value.expireAt().toEpochMilli(), ValueHash.of(codec.session(value, v))))
                        .orElseGet(() -> Desired.absent(Presence.NONE, "NONE", v));
            }
        };
    }

    /** An interaction key's desired state for its event. */
    public static Desired interactionDesired(EventEnvelope event, VersionVector v, ValueCodec codec) {
        Optional<Projection<InteractionField>> p = InteractionProjection.of(event);
        return p.map(value -> new Desired(Presence.PRESENT, value.strategy().name(), v,
                        value.expireAt().toEpochMilli(), ValueHash.of(codec.interaction(value, v))))
                .orElseGet(() -> Desired.absent(Presence.NONE, "NONE", v));
    }

    /** The latest-response key's desired state when {@code event} is the session's newest interaction. */
    public static Desired latestDesired(EventEnvelope event, VersionVector v, ValueCodec codec) {
        Optional<Projection<InteractionField>> p = InteractionProjection.latestResponse(event);
        return p.map(value -> new Desired(Presence.PRESENT, value.strategy().name(), v,
                        value.expireAt().toEpochMilli(), ValueHash.of(codec.latestResponse(value, v))))
                .orElseGet(() -> Desired.absent(Presence.NONE, "NONE", v));
    }

    private static Desired deletedAt(VersionVector v) {
        return Desired.absent(Presence.DELETED, "DELETED", v);
    }
}
