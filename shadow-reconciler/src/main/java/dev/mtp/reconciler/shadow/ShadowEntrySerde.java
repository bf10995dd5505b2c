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

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * KVShadow entries in the state store and its changelog topic ({@code <application.id>-kvshadow-changelog}, which
 * ./mtp shadow check reads too). Binary, since every event and every check reads and writes entries:
 * <pre>
 *   byte   format (4)
 *   utf    key, session id, interaction id ("" for none), strategy
 *   byte   kind (CacheKeys.Kind ordinal), presence (Desired.Presence ordinal)
 *   byte   number of versions, then one long each
 *   long   expireAt, contentHash, offset, changedAt, checkAt
 *   rest   payload: the session state ({@link SessionStateFormat}, session key), or the interaction event as on the
 *          topic (EventCodec)
 * </pre>
 * The header is all a check needs; the payload is decoded only when a fold or a repair uses it. Another field is
 * another format byte, and readers keep reading the formats before it: format 3, the same but for a session state
 * as JSON, is read into format 4 (its state re-encoded once, when read from a changelog or store written before).
 */
public final class ShadowEntrySerde implements Serde<ShadowEntry> {

    static final byte FORMAT = 4;
    static final byte FORMAT_JSON_STATE = 3;

    /** A session state in format 3; instants as epoch ms. */
    record StateJson(long sv, long iv, String lifecycle, String userId, String status, Map<String, Object> context,
                     Map<String, Object> metadata, String strategy, Long createdAt, Long updatedAt, Long closedAt,
                     long[] interactionIds, String lastInteractionId, Long lastActivityAt) {

        SessionState toState(String sessionId) {
            return new SessionState(sessionId, sv, iv, SessionState.Lifecycle.valueOf(lifecycle), userId, status,
                    context, metadata, strategy == null ? null : SessionCacheStrategy.valueOf(strategy),
                    instant(createdAt), instant(updatedAt), instant(closedAt),
                    InteractionIdSet.ofDigests(interactionIds == null ? new long[0] : interactionIds),
                    lastInteractionId, instant(lastActivityAt));
        }

        private static Instant instant(Long ms) {
            return ms == null ? null : Instant.ofEpochMilli(ms);
        }
    }

    /**
     * Writes the entry into an array of its exact size, in the layout {@link DataOutputStream} would write (which
     * {@link #decode} reads): a stream's growing buffer and final copy were 7% of what the reconciler allocated at
     * 1,500 events/s, two arrays per stored entry.
     */
    public static byte[] encode(ShadowEntry e) {
        Desired d = e.desired();
        byte[] payload = e.payload();
        String interactionId = e.interactionId() == null ? "" : e.interactionId();
        VersionVector v = d.versions();
        int keyLength = utfLength(e.key());
        int sessionLength = utfLength(e.sessionId());
        int interactionLength = utfLength(interactionId);
        int strategyLength = utfLength(d.strategy());
        ByteBuffer out = ByteBuffer.allocate(1 + 2 + keyLength + 2 + sessionLength + 2 + interactionLength + 2
                + strategyLength + 3 + Long.BYTES * (v.size() + 5) + payload.length);
        out.put(FORMAT);
        putUtf(out, e.key(), keyLength);
        putUtf(out, e.sessionId(), sessionLength);
        putUtf(out, interactionId, interactionLength);
        putUtf(out, d.strategy(), strategyLength);
        out.put((byte) e.kind().ordinal());
        out.put((byte) d.presence().ordinal());
        out.put((byte) v.size());
        for (int i = 0; i < v.size(); i++) {
            out.putLong(v.get(i));
        }
        out.putLong(d.expireAt());
        out.putLong(d.contentHash());
        out.putLong(e.offset());
        out.putLong(e.changedAt());
        out.putLong(e.checkAt());
        out.put(payload);
        return out.array();
    }

    /** The length of {@code s} in modified UTF-8, as {@link DataOutputStream#writeUTF} writes it. */
    private static int utfLength(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            length += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        if (length > 0xFFFF) {
            throw new SerializationException("a shadow entry's string is longer than 65,535 bytes: "
                    + s.substring(0, 64) + "...");
        }
        return length;
    }

    private static void putUtf(ByteBuffer out, String s, int length) {
        out.putShort((short) length);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                out.put((byte) c);
            } else if (c <= 0x07FF) {
                out.put((byte) (0xC0 | c >> 6));
                out.put((byte) (0x80 | c & 0x3F));
            } else {
                out.put((byte) (0xE0 | c >> 12));
                out.put((byte) (0x80 | c >> 6 & 0x3F));
                out.put((byte) (0x80 | c & 0x3F));
            }
        }
    }

    public static ShadowEntry decode(byte[] bytes) {
        if (bytes.length < 1 || bytes[0] != FORMAT && bytes[0] != FORMAT_JSON_STATE) {
            throw new SerializationException("shadow entry format " + (bytes.length == 0 ? "?" : bytes[0])
                    + " is not " + FORMAT + " or " + FORMAT_JSON_STATE);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        try (DataInputStream data = new DataInputStream(in)) {
            String key = data.readUTF();
            String sessionId = data.readUTF();
            String interactionId = data.readUTF();
            String strategy = data.readUTF();
            CacheKeys.Kind kind = CacheKeys.Kind.values()[data.readUnsignedByte()];
            Desired.Presence presence = Desired.Presence.values()[data.readUnsignedByte()];
            long[] versions = new long[data.readUnsignedByte()];
            for (int i = 0; i < versions.length; i++) {
                versions[i] = data.readLong();
            }
            long expireAt = data.readLong();
            long contentHash = data.readLong();
            long offset = data.readLong();
            long changedAt = data.readLong();
            long checkAt = data.readLong();
            // From the array itself: DataInputStream inherits InputStream.readAllBytes, which allocates a 16 KiB
            // buffer per call (then copies), and every check and every fold that misses the recent entries decodes
            // one; at 1,500 events/s that was 47% of what the process allocated.
            byte[] payload = in.readAllBytes();
            if (bytes[0] == FORMAT_JSON_STATE && kind == CacheKeys.Kind.SESSION) {
                payload = encodeState(decodeJsonState(sessionId, payload));
            }
            return ShadowEntry.stored(key, kind, sessionId, interactionId.isEmpty() ? null : interactionId,
                    new Desired(presence, strategy, VersionVector.of(versions), expireAt, contentHash), offset,
                    changedAt, checkAt, payload);
        } catch (IOException | RuntimeException ex) {
            throw new SerializationException("unreadable shadow entry: " + ex.getMessage(), ex);
        }
    }

    static byte[] encodeState(SessionState state) {
        return SessionStateFormat.encode(state);
    }

    static SessionState decodeState(String sessionId, byte[] payload) {
        return SessionStateFormat.decode(sessionId, payload);
    }

    static SessionState decodeJsonState(String sessionId, byte[] payload) {
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
