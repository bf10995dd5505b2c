package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionState;

import java.util.Objects;

/**
 * KVShadow: the desired state of one cache key, with what is needed to rebuild its value.
 *
 * @param key           the Redis key (cache-store's layout)
 * @param kind          session, interaction or latest-response key
 * @param sessionId     the session the key belongs to (its hash tag and its Kafka record key)
 * @param interactionId the interaction of an interaction key; null otherwise
 * @param desired       what the key should hold
 * @param state         for a session key: the session's full latest state (partial updates merged, one version per
 *                      owning topic), which later events build on and repairs rebuild the value from
 * @param event         for an interaction or latest-response key: the interaction event the value is built from
 * @param offset        that event's offset in the interactions topic (-1 for a session key)
 * @param changedAt     when the desired state last changed, epoch ms of this process's clock: a check waits until
 *                      {@code changedAt + check delay}, so that it never races the writer of that change
 * @param checkAt       when the targeted check of the last change is due, epoch ms; 0 when none is pending
 */
public record ShadowEntry(String key, CacheKeys.Kind kind, String sessionId, String interactionId, Desired desired,
                          SessionState state, EventEnvelope event, long offset, long changedAt, long checkAt) {

    public ShadowEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(desired, "desired");
        switch (kind) {
            case SESSION -> Objects.requireNonNull(state, "a session key's entry holds the session state");
            case INTERACTION, LATEST_RESPONSE -> {
                Objects.requireNonNull(event, "an interaction key's entry holds its event");
                if (offset < 0) {
                    throw new IllegalArgumentException("an interaction key's entry holds its event's offset");
                }
            }
            case INTERACTION_INDEX -> throw new IllegalArgumentException("the interaction index is not shadowed");
        }
        if (kind == CacheKeys.Kind.INTERACTION) {
            Objects.requireNonNull(interactionId, "interactionId");
        }
    }

    public static ShadowEntry session(String key, SessionState state, Desired desired, long changedAt) {
        return new ShadowEntry(key, CacheKeys.Kind.SESSION, state.sessionId(), null, desired, state, null, -1,
                changedAt, 0);
    }

    public static ShadowEntry interaction(String key, EventEnvelope event, long offset, Desired desired,
                                          long changedAt) {
        return new ShadowEntry(key, CacheKeys.Kind.INTERACTION, event.sessionId(), event.entityId(), desired, null,
                event, offset, changedAt, 0);
    }

    public static ShadowEntry latestResponse(String key, EventEnvelope event, long offset, Desired desired,
                                             long changedAt) {
        return new ShadowEntry(key, CacheKeys.Kind.LATEST_RESPONSE, event.sessionId(), null, desired, null, event,
                offset, changedAt, 0);
    }

    public ShadowEntry withDesired(Desired newDesired, long changedAtMs) {
        return new ShadowEntry(key, kind, sessionId, interactionId, newDesired, state, event, offset, changedAtMs,
                checkAt);
    }

    public ShadowEntry withCheckAt(long checkAtMs) {
        return new ShadowEntry(key, kind, sessionId, interactionId, desired, state, event, offset, changedAt,
                checkAtMs);
    }

    /** {@code session}, {@code interaction} or {@code latest}: metric tags, kvshadow documents, the CLI. */
    public String kindTag() {
        return tag(kind);
    }

    public static String tag(CacheKeys.Kind kind) {
        return switch (kind) {
            case SESSION -> "session";
            case INTERACTION -> "interaction";
            case LATEST_RESPONSE -> "latest";
            case INTERACTION_INDEX -> "index";
        };
    }
}
