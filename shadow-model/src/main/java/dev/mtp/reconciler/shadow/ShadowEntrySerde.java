package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.InteractionIdSet;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
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
 *   byte   format (5)
 *   utf    key, session id, interaction id ("" for none), strategy
 *   byte   kind (CacheKeys.Kind ordinal), presence (Desired.Presence ordinal)
 *   byte   number of versions, then each: long offset, utf incarnation ("" unknown)
 *   long   expireAt, contentHash
 *   long   the event's offset (interaction and latest-response keys; -1 for a session key), utf its incarnation
 *   long   changedAt, checkAt
 *   rest   payload: the session state ({@link SessionStateFormat}, session key), or the interaction event as on the
 *          topic (EventCodec)
 * </pre>
 * The header is all a check needs; the payload is decoded only when a fold or a repair uses it. Another field is
 * another format byte, and readers keep reading the formats before it, with unknown incarnations
 * (docs/decisions/0012): format 4 had offsets only (versions, the event's offset, the state's versions), and its state
 * payload gets empty tags inserted, nothing decoded; format 3 is format 4 with the session state as JSON, re-encoded
 * once when read.
 */
public final class ShadowEntrySerde implements Serde<ShadowEntry> {

    static final byte FORMAT = 5;
    static final byte FORMAT_OFFSETS_ONLY = 4;
    static final byte FORMAT_JSON_STATE = 3;

    /** A session state in format 3; instants as epoch ms; versions of unknown incarnations. */
    record StateJson(long sv, long iv, String lifecycle, String userId, String status, Map<String, Object> context,
                     Map<String, Object> metadata, String strategy, Long createdAt, Long updatedAt, Long closedAt,
                     long[] interactionIds, String lastInteractionId, Long lastActivityAt) {

        SessionState toState(String sessionId) {
            return new SessionState(sessionId, Version.of(Incarnation.UNKNOWN, sv), Version.of(Incarnation.UNKNOWN, iv),
                    SessionState.Lifecycle.valueOf(lifecycle), userId, status,
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
     * {@link #decode} reads): a stream's growing buffer and final copy would allocate two arrays per stored entry.
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
        int versionsLength = 0;
        for (int i = 0; i < v.size(); i++) {
            versionsLength += versionLength(v.get(i));
        }
        ByteBuffer out = ByteBuffer.allocate(1 + 2 + keyLength + 2 + sessionLength + 2 + interactionLength + 2
                + strategyLength + 3 + versionsLength + versionLength(e.version()) + Long.BYTES * 4 + payload.length);
        out.put(FORMAT);
        putUtf(out, e.key(), keyLength);
        putUtf(out, e.sessionId(), sessionLength);
        putUtf(out, interactionId, interactionLength);
        putUtf(out, d.strategy(), strategyLength);
        out.put((byte) e.kind().ordinal());
        out.put((byte) d.presence().ordinal());
        out.put((byte) v.size());
        for (int i = 0; i < v.size(); i++) {
            putVersion(out, v.get(i));
        }
        out.putLong(d.expireAt());
        out.putLong(d.contentHash());
        putVersion(out, e.version());
        out.putLong(e.changedAt());
        out.putLong(e.checkAt());
        out.put(payload);
        return out.array();
    }

    /** An offset, then its incarnation's tag as {@link DataOutputStream#writeUTF} writes it (ASCII, 0 or 8 bytes). */
    private static void putVersion(ByteBuffer out, Version v) {
        out.putLong(v.offset());
        String tag = v.incarnation().tag();
        putUtf(out, tag, tag.length());
    }

    private static int versionLength(Version v) {
        return Long.BYTES + 2 + v.incarnation().tag().length();
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
        byte format = bytes.length == 0 ? -1 : bytes[0];
        if (format != FORMAT && format != FORMAT_OFFSETS_ONLY && format != FORMAT_JSON_STATE) {
            throw new SerializationException("shadow entry format " + (bytes.length == 0 ? "?" : bytes[0])
                    + " is not " + FORMAT + ", " + FORMAT_OFFSETS_ONLY + " or " + FORMAT_JSON_STATE);
        }
        boolean incarnations = format == FORMAT;
        ByteArrayInputStream in = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        try (DataInputStream data = new DataInputStream(in)) {
            String key = data.readUTF();
            String sessionId = data.readUTF();
            String interactionId = data.readUTF();
            String strategy = data.readUTF();
            CacheKeys.Kind kind = CacheKeys.Kind.values()[data.readUnsignedByte()];
            Desired.Presence presence = Desired.Presence.values()[data.readUnsignedByte()];
            Version[] versions = new Version[data.readUnsignedByte()];
            for (int i = 0; i < versions.length; i++) {
                versions[i] = version(data, incarnations);
            }
            long expireAt = data.readLong();
            long contentHash = data.readLong();
            Version version = version(data, incarnations);
            long changedAt = data.readLong();
            long checkAt = data.readLong();
            // From the array itself: DataInputStream inherits InputStream.readAllBytes, which allocates a 16 KiB
            // buffer per call (then copies), and every check and every fold that misses the recent entries decodes
            // one, so that buffer would be allocated per event.
            byte[] payload = in.readAllBytes();
            if (kind == CacheKeys.Kind.SESSION && format == FORMAT_JSON_STATE) {
                payload = encodeState(decodeJsonState(sessionId, payload));
            } else if (kind == CacheKeys.Kind.SESSION && format == FORMAT_OFFSETS_ONLY) {
                payload = SessionStateFormat.withUnknownIncarnations(payload);
            }
            return ShadowEntry.stored(key, kind, sessionId, interactionId.isEmpty() ? null : interactionId,
                    new Desired(presence, strategy, VersionVector.of(versions), expireAt, contentHash), version,
                    changedAt, checkAt, payload);
        } catch (IOException | RuntimeException ex) {
            throw new SerializationException("unreadable shadow entry: " + ex.getMessage(), ex);
        }
    }

    /** A version as written: in format 5 with its incarnation, before it an offset of an unknown incarnation. */
    private static Version version(DataInputStream data, boolean withIncarnation) throws IOException {
        long offset = data.readLong();
        return Version.of(withIncarnation ? Incarnation.parse(data.readUTF()) : Incarnation.UNKNOWN, offset);
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
