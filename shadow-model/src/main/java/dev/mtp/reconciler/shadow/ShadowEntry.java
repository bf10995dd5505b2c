package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Version;

import java.util.Objects;
import java.util.function.Function;

/**
 * KVShadow: the desired state of one cache key, with what is needed to rebuild its value.
 *
 * <ul>
 *   <li>{@link #key()}: the Redis key (cache-store's layout); {@link #kind()}: session, interaction or latest-response
 *       key; {@link #sessionId()}: its session (hash tag and Kafka record key); {@link #interactionId()} for an
 *       interaction key;</li>
 *   <li>{@link #desired()}: what the key should hold;</li>
 *   <li>{@link #state()}, for a session key: the session's full latest state (partial updates merged, one version per
 *       owning topic), which later events build on and repairs rebuild the value from;</li>
 *   <li>{@link #event()} and {@link #version()}, for an interaction or latest-response key: the interaction event the
 *       value is built from and its version (offset and incarnation of the interactions topic);</li>
 *   <li>{@link #changedAt()}: when the desired state last changed (this process's clock): a check waits until
 *       {@code changedAt + check delay}, so that it never races the writer of that change;</li>
 *   <li>{@link #checkAt()}: the earliest the targeted check of the last change may run (it also waits for the
 *       change to settle); kept once the check is done, which the task's done mark says; 0 for an entry not
 *       checked (nothing desired yet).</li>
 * </ul>
 * The state or event (the payload) is kept as bytes when the entry was read from the store, and decoded on first
 * use: a check needs only the desired state, and an entry stored again reuses the bytes. A {@link #header} holds no
 * payload at all and reads it back from where the entry is stored, should it be needed (a repair). Immutable apart
 * from that cache.
 */
public final class ShadowEntry {

    private final String key;
    private final CacheKeys.Kind kind;
    private final String sessionId;
    private final String interactionId;
    private final Desired desired;
    private final Version version;
    private final long changedAt;
    private final long checkAt;
    private byte[] payload;
    private SessionState state;
    private EventEnvelope event;
    /** A header's way to its payload: the stored entry of its key. */
    private Function<String, ShadowEntry> source;

    private ShadowEntry(String key, CacheKeys.Kind kind, String sessionId, String interactionId, Desired desired,
                        Version version, long changedAt, long checkAt, byte[] payload, SessionState state,
                        EventEnvelope event) {
        this(key, kind, sessionId, interactionId, desired, version, changedAt, checkAt, payload, state, event, null);
    }

    private ShadowEntry(String key, CacheKeys.Kind kind, String sessionId, String interactionId, Desired desired,
                        Version version, long changedAt, long checkAt, byte[] payload, SessionState state,
                        EventEnvelope event, Function<String, ShadowEntry> source) {
        this.key = Objects.requireNonNull(key, "key");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.interactionId = interactionId;
        this.desired = Objects.requireNonNull(desired, "desired");
        this.version = Objects.requireNonNull(version, "version");
        this.changedAt = changedAt;
        this.checkAt = checkAt;
        this.payload = payload;
        this.state = state;
        this.event = event;
        this.source = source;
        switch (kind) {
            case SESSION -> {
                if (state == null && payload == null && source == null) {
                    throw new IllegalArgumentException("a session key's entry holds the session state");
                }
            }
            case INTERACTION, LATEST_RESPONSE -> {
                if (event == null && payload == null && source == null) {
                    throw new IllegalArgumentException("an interaction key's entry holds its event");
                }
                if (version.isNone()) {
                    throw new IllegalArgumentException("an interaction key's entry holds its event's version");
                }
            }
            case INTERACTION_INDEX -> throw new IllegalArgumentException("the interaction index is not shadowed");
        }
        if (kind == CacheKeys.Kind.INTERACTION) {
            Objects.requireNonNull(interactionId, "interactionId");
        }
    }

    public static ShadowEntry session(String key, SessionState state, Desired desired, long changedAt) {
        return new ShadowEntry(key, CacheKeys.Kind.SESSION, state.sessionId(), null, desired, Version.NONE, changedAt,
                0, null, Objects.requireNonNull(state, "state"), null);
    }

    public static ShadowEntry interaction(String key, EventEnvelope event, Version version, Desired desired,
                                          long changedAt) {
        return interaction(key, event, null, version, desired, changedAt);
    }

    /** @param encoded the event as {@code EventCodec} encodes it, when the caller has it (null: encoded on demand) */
    public static ShadowEntry interaction(String key, EventEnvelope event, byte[] encoded, Version version,
                                          Desired desired, long changedAt) {
        return new ShadowEntry(key, CacheKeys.Kind.INTERACTION, event.sessionId(), event.entityId(), desired, version,
                changedAt, 0, encoded, null, event);
    }

    public static ShadowEntry latestResponse(String key, EventEnvelope event, Version version, Desired desired,
                                             long changedAt) {
        return latestResponse(key, event, null, version, desired, changedAt);
    }

    /** @param encoded the event as {@code EventCodec} encodes it, when the caller has it (null: encoded on demand) */
    public static ShadowEntry latestResponse(String key, EventEnvelope event, byte[] encoded, Version version,
                                             Desired desired, long changedAt) {
        return new ShadowEntry(key, CacheKeys.Kind.LATEST_RESPONSE, event.sessionId(), null, desired, version,
                changedAt, 0, encoded, null, event);
    }

    /** An entry read from the store: its payload (state or event, encoded) is decoded on first use. */
    static ShadowEntry stored(String key, CacheKeys.Kind kind, String sessionId, String interactionId, Desired desired,
                              Version version, long changedAt, long checkAt, byte[] payload) {
        return new ShadowEntry(key, kind, sessionId, interactionId, desired, version, changedAt, checkAt,
                Objects.requireNonNull(payload, "payload"), null, null);
    }

    public ShadowEntry withDesired(Desired newDesired, long changedAtMs) {
        return new ShadowEntry(key, kind, sessionId, interactionId, newDesired, version, changedAtMs, checkAt, payload,
                state, event);
    }

    public ShadowEntry withCheckAt(long checkAtMs) {
        return new ShadowEntry(key, kind, sessionId, interactionId, desired, version, changedAt, checkAtMs, payload,
                state, event);
    }

    /**
     * This entry without its payload, for a check pending on it: the payload is read back from {@code source} (the
     * store, given the key) on first use. The caller keeps the header for as long as this is the stored entry of the
     * key; a payload read back from another one is refused.
     */
    public ShadowEntry header(Function<String, ShadowEntry> from) {
        return new ShadowEntry(key, kind, sessionId, interactionId, desired, version, changedAt, checkAt, null, null,
                null, Objects.requireNonNull(from, "source"));
    }

    private void readPayloadBack() {
        ShadowEntry stored = source.apply(key);
        if (stored == null || stored.changedAt != changedAt || !stored.version.equals(version)
                || !stored.desired.equals(desired)) {
            throw new IllegalStateException("the stored entry of " + key + " is not the one this header was taken from: "
                    + stored + " against " + this);
        }
        payload = stored.payload;
        state = stored.state;
        event = stored.event;
        source = null;
    }

    public String key() {
        return key;
    }

    public CacheKeys.Kind kind() {
        return kind;
    }

    public String sessionId() {
        return sessionId;
    }

    public String interactionId() {
        return interactionId;
    }

    public Desired desired() {
        return desired;
    }

    /** The session's full state (session key only; null otherwise). */
    public SessionState state() {
        if (source != null) {
            readPayloadBack();
        }
        if (state == null && kind == CacheKeys.Kind.SESSION) {
            state = ShadowEntrySerde.decodeState(sessionId, payload);
        }
        return state;
    }

    /** The interaction event (interaction and latest-response keys only; null otherwise). */
    public EventEnvelope event() {
        if (source != null) {
            readPayloadBack();
        }
        if (event == null && kind != CacheKeys.Kind.SESSION) {
            event = ShadowEntrySerde.decodeEvent(payload);
        }
        return event;
    }

    /** The interaction event's version (interaction and latest-response keys; {@link Version#NONE} otherwise). */
    public Version version() {
        return version;
    }

    public long changedAt() {
        return changedAt;
    }

    public long checkAt() {
        return checkAt;
    }

    /** The encoded state or event, encoding it once if the entry was built from objects. */
    byte[] payload() {
        if (source != null) {
            readPayloadBack();
        }
        if (payload == null) {
            payload = kind == CacheKeys.Kind.SESSION ? ShadowEntrySerde.encodeState(state)
                    : ShadowEntrySerde.encodeEvent(event);
        }
        return payload;
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

    @Override
    public String toString() {
        return "ShadowEntry[" + key + " " + desired + " changedAt=" + changedAt + " checkAt=" + checkAt + "]";
    }
}
