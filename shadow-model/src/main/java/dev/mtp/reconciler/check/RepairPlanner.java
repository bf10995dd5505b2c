package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.shadow.Desired;
import dev.mtp.reconciler.shadow.ShadowEntry;

import java.util.Map;
import java.util.Objects;

/**
 * Turns a key's desired state into the repair that produces it, with cache-store's own means only: its
 * {@link CacheWrite}s (the version-guarded scripts cache-writer uses, so a repair can never take a key back) and its
 * {@link ValueCodec} (the same bytes cache-writer would write).
 *
 * <p>A guarded write supersedes a value of another incarnation ({@link OtherIncarnations#SUPERSEDE}) only when the
 * entry's versions are of the incarnations consumed now, as cache-writer's would; an entry left from an earlier life
 * of a topic relays what it learned then and keeps such a value ({@link OtherIncarnations#KEEP}): it must never take a
 * current value back (docs/decisions/0012).
 */
public final class RepairPlanner {

    /**
     * A compare-and-set for drift at the versions Redis already holds (wrong TTL, wrong content, a value that should
     * have expired): the guard rightly refuses equal versions, so instead the key is replaced only if it still holds
     * exactly the bytes that were judged.
     *
     * @param key        the key
     * @param value      the new bytes: the value, or a tombstone when the key should be gone
     * @param expireAtMs absolute expiry of a value, epoch ms; 0 for a tombstone (which lives {@code tombstoneTtlMs})
     * @param tombstoneTtlMs how long a tombstone lives, as cache-store's removals leave it
     */
    public record Rewrite(String key, byte[] value, long expireAtMs, long tombstoneTtlMs) {}

    private final ValueCodec codec;
    private final long tombstoneTtlMs;
    private final ConsumedIncarnations consumed;

    public RepairPlanner(ValueCodec codec, long tombstoneTtlMs, ConsumedIncarnations consumed) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.tombstoneTtlMs = tombstoneTtlMs;
        this.consumed = Objects.requireNonNull(consumed, "consumed");
    }

    /** What the entry's guarded write does to a value of another incarnation. */
    public OtherIncarnations otherIncarnations(ShadowEntry e) {
        return consumed.current(e) ? OtherIncarnations.SUPERSEDE : OtherIncarnations.KEEP;
    }

    /** The guarded write that brings the key to its desired state (null when nothing is desired yet). */
    public CacheWrite guardedWrite(ShadowEntry e) {
        return guardedWrite(e, null);
    }

    /**
     * {@link #guardedWrite(ShadowEntry)}, decoding each interaction event once per round: a session's interaction
     * and latest-response entries hold the same event (same session, same version), and decoding it is most of what
     * a repair costs the stream thread.
     *
     * @param decoded events decoded so far in this round, by session and version; null to decode without sharing
     */
    public CacheWrite guardedWrite(ShadowEntry e, Map<String, EventEnvelope> decoded) {
        Desired d = e.desired();
        OtherIncarnations others = otherIncarnations(e);
        return switch (e.kind()) {
            case SESSION -> CacheWrite.session(e.state(), false, others, consumed.interactions());
            case INTERACTION -> d.presence() == Desired.Presence.DELETED
                    ? new CacheWrite.RemoveInteraction(e.sessionId(), e.interactionId(), e.version(), others)
                    : CacheWrite.interactionKey(event(e, decoded), e.version(), others);
            case LATEST_RESPONSE -> d.presence() == Desired.Presence.DELETED
                    ? new CacheWrite.RemoveLatestResponse(e.sessionId(), e.version(), others)
                    : CacheWrite.latestResponse(event(e, decoded), e.version(), others);
            case INTERACTION_INDEX -> throw new IllegalArgumentException("the interaction index is not shadowed");
        };
    }

    /** A version of the interactions topic names one event of a session (its partition is the session's). */
    private static EventEnvelope event(ShadowEntry e, Map<String, EventEnvelope> decoded) {
        return decoded == null ? e.event() : decoded.computeIfAbsent(e.sessionId() + '\n' + e.version(), k -> e.event());
    }

    /** The compare-and-set that brings a key at the desired versions to the desired value (or removes it). */
    public Rewrite rewrite(ShadowEntry e, long nowMs) {
        Desired d = e.desired();
        VersionVector v = d.versions();
        if (!d.wantsValueAt(nowMs)) {
            return new Rewrite(e.key(), ValueCodec.tombstone(v), 0, tombstoneTtlMs);
        }
        byte[] value = switch (e.kind()) {
            case SESSION -> codec.session(SessionProjection.of(e.state()).orElseThrow(), v);
            case INTERACTION -> codec.interaction(InteractionProjection.of(e.event()).orElseThrow(), v);
            case LATEST_RESPONSE -> codec.latestResponse(InteractionProjection.latestResponse(e.event()).orElseThrow(), v);
            case INTERACTION_INDEX -> throw new IllegalArgumentException("the interaction index is not shadowed");
        };
        return new Rewrite(e.key(), value, d.expireAt(), 0);
    }
}
