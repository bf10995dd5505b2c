package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.InteractionIdSet;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * KVShadow entries in the state store and its changelog topic ({@code <application.id>-kvshadow-changelog}, which
 * ./mtp shadow check reads too):
 * <pre>
 *   byte 2 (format) | int32 length | header JSON | payload
 *   header:  {"key":..,"kind":"SESSION","sessionId":..,"presence":"PRESENT","strategy":"WITH_CONTEXT",
 *             "versions":"12,7","expireAt":..,"contentHash":..,"offset":-1,"changedAt":..,"checkAt":..}
 *   payload: the session state as JSON (session key), or the interaction event as on the topic (EventCodec)
 * </pre>
 * The header is all a check needs; the payload is decoded only when a fold or a repair uses it. Readers ignore unknown
 * header fields, so fields can be added within a format.
 */
public final class ShadowEntrySerde implements Serde<ShadowEntry> {

    static final byte FORMAT = 2;

    record Header(String key, String kind, String sessionId, String interactionId, String presence, String strategy,
                  String versions, long expireAt, long contentHash, long offset, long changedAt, long checkAt) {}

    record StateJson(long sv, long iv, String lifecycle, String userId, String status, Map<String, Object> context,
                     Map<String, Object> metadata, String strategy, Instant createdAt, Instant updatedAt,
                     Instant closedAt, long[] interactionIds, String lastInteractionId, Instant lastActivityAt) {

        static StateJson of(SessionState s) {
            return new StateJson(s.sessionVersion(), s.interactionsVersion(), s.lifecycle().name(), s.userId(),
                    s.status(), s.context(), s.metadata(), s.strategy() == null ? null : s.strategy().name(),
                    s.createdAt(), s.updatedAt(), s.closedAt(), s.interactionIds().digests(), s.lastInteractionId(),
                    s.lastActivityAt());
        }

        SessionState toState(String sessionId) {
            return new SessionState(sessionId, sv, iv, SessionState.Lifecycle.valueOf(lifecycle), userId, status,
                    context, metadata, strategy == null ? null : SessionCacheStrategy.valueOf(strategy), createdAt,
                    updatedAt, closedAt, InteractionIdSet.ofDigests(interactionIds == null ? new long[0] : interactionIds),
                    lastInteractionId, lastActivityAt);
        }
    }

    public static byte[] encode(ShadowEntry e) {
        Desired d = e.desired();
        Header h = new Header(e.key(), e.kind().name(), e.sessionId(), e.interactionId(), d.presence().name(),
                d.strategy(), d.versions().toString(), d.expireAt(), d.contentHash(), e.offset(), e.changedAt(),
                e.checkAt());
        try {
            byte[] header = Json.mapper().writeValueAsBytes(h);
            byte[] payload = e.payload();
            return ByteBuffer.allocate(5 + header.length + payload.length).put(FORMAT).putInt(header.length)
                    .put(header).put(payload).array();
        } catch (IOException ex) {
            throw new SerializationException("cannot encode the shadow entry of " + e.key(), ex);
        }
    }

    public static ShadowEntry decode(byte[] bytes) {
        if (bytes.length < 5 || bytes[0] != FORMAT) {
            throw new SerializationException("shadow entry format " + (bytes.length == 0 ? "?" : bytes[0])
                    + " is not " + FORMAT);
        }
        int headerLength = ByteBuffer.wrap(bytes, 1, 4).getInt();
        try {
            Header h = Json.mapper().readValue(bytes, 5, headerLength, Header.class);
            byte[] payload = new byte[bytes.length - 5 - headerLength];
            System.arraycopy(bytes, 5 + headerLength, payload, 0, payload.length);
            Desired desired = new Desired(Desired.Presence.valueOf(h.presence()), h.strategy(),
                    VersionVector.parse(h.versions()), h.expireAt(), h.contentHash());
            return ShadowEntry.stored(h.key(), CacheKeys.Kind.valueOf(h.kind()), h.sessionId(), h.interactionId(),
                    desired, h.offset(), h.changedAt(), h.checkAt(), payload);
        } catch (IOException | IllegalArgumentException ex) {
            throw new SerializationException("unreadable shadow entry: " + ex.getMessage(), ex);
        }
    }

    static byte[] encodeState(SessionState state) {
        try {
            return Json.mapper().writeValueAsBytes(StateJson.of(state));
        } catch (IOException ex) {
            throw new SerializationException("cannot encode the state of " + state.sessionId(), ex);
        }
    }

    static SessionState decodeState(String sessionId, byte[] payload) {
        try {
            return Json.mapper().readValue(payload, StateJson.class).toState(sessionId);
        } catch (IOException ex) {
            throw new SerializationException("unreadable session state of " + sessionId + ": " + ex.getMessage(), ex);
        }
    }

    static byte[] encodeEvent(EventEnvelope event) {
        return EventCodec.encode(event);
    }

    static EventEnvelope decodeEvent(byte[] payload) {
        return EventCodec.decode(payload);
    }

    @Override
    public Serializer<ShadowEntry> serializer() {
        return (topic, entry) -> entry == null ? null : encode(entry);
    }

    @Override
    public Deserializer<ShadowEntry> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
