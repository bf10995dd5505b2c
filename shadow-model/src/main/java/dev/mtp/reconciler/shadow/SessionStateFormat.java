package dev.mtp.reconciler.shadow;

import dev.mtp.common.projection.InteractionIdSet;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import org.apache.kafka.common.errors.SerializationException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session key's payload in a shadow entry: the session's full state, binary. Every event of a session stores its
 * entry again and every fold that misses the record cache reads one, so JSON's cost would be paid per event.
 * <pre>
 *   long    session version's offset;      string its incarnation ("" unknown)
 *   long    interactions version's offset; string its incarnation ("" unknown)
 *   byte    lifecycle (SessionState.Lifecycle ordinal)
 *   string  strategy name, user id, status, last interaction id
 *   long    createdAt, updatedAt, closedAt, lastActivityAt (epoch ms; Long.MIN_VALUE for none)
 *   int     number of interaction digests, then one long each, ascending
 *   value   context map, metadata map
 * </pre>
 * A string is an int length (-1 for null) and that many UTF-8 bytes. A value is a tag byte and its content, one tag
 * per type a JSON document decodes to (null, string, boolean, int, long, big integer, double, big decimal, list,
 * map), so the maps come back with the same types as the event's maps had and hash to the same cached value.
 *
 * <p>Entry format 4 held the two offsets without incarnations; {@link #withUnknownIncarnations} turns such a payload
 * into this layout by inserting empty tags, without decoding the rest (docs/decisions/0012: state stored before
 * incarnations were recorded is read with unknown ones).
 */
final class SessionStateFormat {

    private static final long NO_INSTANT = Long.MIN_VALUE;

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte TRUE = 2;
    private static final byte FALSE = 3;
    private static final byte INT = 4;
    private static final byte LONG = 5;
    private static final byte BIG_INTEGER = 6;
    private static final byte DOUBLE = 7;
    private static final byte BIG_DECIMAL = 8;
    private static final byte LIST = 9;
    private static final byte MAP = 10;

    private SessionStateFormat() {}

    static byte[] encode(SessionState s) {
        Writer out = new Writer();
        out.putVersion(s.sessionVersion());
        out.putVersion(s.interactionsVersion());
        out.put((byte) s.lifecycle().ordinal());
        out.putString(s.strategy() == null ? null : s.strategy().name());
        out.putString(s.userId());
        out.putString(s.status());
        out.putString(s.lastInteractionId());
        out.putLong(millis(s.createdAt()));
        out.putLong(millis(s.updatedAt()));
        out.putLong(millis(s.closedAt()));
        out.putLong(millis(s.lastActivityAt()));
        long[] digests = s.interactionIds().digests();
        out.putInt(digests.length);
        for (long d : digests) {
            out.putLong(d);
        }
        out.putField("context", s.context());
        out.putField("metadata", s.metadata());
        return out.toByteArray();
    }

    static SessionState decode(String sessionId, byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            Version sessionVersion = version(in);
            Version interactionsVersion = version(in);
            SessionState.Lifecycle lifecycle = SessionState.Lifecycle.values()[in.get()];
            String strategy = string(in);
            String userId = string(in);
            String status = string(in);
            String lastInteractionId = string(in);
            Instant createdAt = instant(in.getLong());
            Instant updatedAt = instant(in.getLong());
            Instant closedAt = instant(in.getLong());
            Instant lastActivityAt = instant(in.getLong());
            long[] digests = new long[count(in, Long.BYTES)];
            for (int i = 0; i < digests.length; i++) {
                digests[i] = in.getLong();
            }
            Map<String, Object> context = map(in);
            Map<String, Object> metadata = map(in);
            if (in.hasRemaining()) {
                throw new SerializationException(in.remaining() + " bytes after the state");
            }
            return new SessionState(sessionId, sessionVersion, interactionsVersion, lifecycle, userId, status,
                    context, metadata, strategy == null ? null : SessionCacheStrategy.valueOf(strategy), createdAt,
                    updatedAt, closedAt, InteractionIdSet.ofSortedDigests(digests), lastInteractionId,
                    lastActivityAt);
        } catch (RuntimeException ex) {
            // A cut or damaged payload: an underflow, a count or tag out of range, an enum name unknown.
            throw new SerializationException("unreadable session state of " + sessionId + ": " + ex, ex);
        }
    }

    /**
     * A state payload of entry format 4 (two offsets, then the rest) in this layout: each offset followed by an
     * empty incarnation tag. A copy with two ints inserted; nothing else is read.
     */
    static byte[] withUnknownIncarnations(byte[] format4) {
        if (format4.length < 2 * Long.BYTES) {
            throw new SerializationException("a session state of " + format4.length + " bytes has no versions");
        }
        byte[] out = new byte[format4.length + 2 * Integer.BYTES];
        System.arraycopy(format4, 0, out, 0, Long.BYTES);
        // out[8..11] stay 0: an empty tag
        System.arraycopy(format4, Long.BYTES, out, Long.BYTES + Integer.BYTES, Long.BYTES);
        // out[20..23] stay 0
        System.arraycopy(format4, 2 * Long.BYTES, out, 2 * (Long.BYTES + Integer.BYTES),
                format4.length - 2 * Long.BYTES);
        return out;
    }

    private static Version version(ByteBuffer in) {
        long offset = in.getLong();
        return Version.of(Incarnation.parse(string(in)), offset);
    }

    private static long millis(Instant i) {
        return i == null ? NO_INSTANT : i.toEpochMilli();
    }

    private static Instant instant(long ms) {
        return ms == NO_INSTANT ? null : Instant.ofEpochMilli(ms);
    }

    /** A count of items of at least {@code minBytes} each, refused when the rest of the payload cannot hold them. */
    private static int count(ByteBuffer in, int minBytes) {
        int n = in.getInt();
        if (n < 0 || (long) n * minBytes > in.remaining()) {
            throw new SerializationException("a count of " + n + " with " + in.remaining() + " bytes left");
        }
        return n;
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new SerializationException("a string of " + length + " bytes with " + in.remaining() + " left");
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(ByteBuffer in) {
        return (Map<String, Object>) value(in);
    }

    private static Object value(ByteBuffer in) {
        byte tag = in.get();
        return switch (tag) {
            case NULL -> null;
            case STRING -> string(in);
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case INT -> in.getInt();
            case LONG -> in.getLong();
            case BIG_INTEGER -> new BigInteger(string(in));
            case DOUBLE -> in.getDouble();
            case BIG_DECIMAL -> new BigDecimal(string(in));
            case LIST -> {
                int n = count(in, 1);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(value(in));
                }
                yield list;
            }
            case MAP -> {
                int n = count(in, 5);
                Map<String, Object> map = new LinkedHashMap<>(Math.max(4, n * 4 / 3 + 1));
                for (int i = 0; i < n; i++) {
                    map.put(string(in), value(in));
                }
                yield map;
            }
            default -> throw new SerializationException("unknown value tag " + tag);
        };
    }

    /** A growing array written in big-endian order, as {@link ByteBuffer} reads it back. */
    private static final class Writer {

        private byte[] bytes = new byte[256];
        private int size;

        void put(byte b) {
            room(1);
            bytes[size++] = b;
        }

        void putInt(int v) {
            room(Integer.BYTES);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void putLong(long v) {
            room(Long.BYTES);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void putVersion(Version v) {
            putLong(v.offset());
            putString(v.incarnation().tag());
        }

        void putString(String s) {
            if (s == null) {
                putInt(-1);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            putInt(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        /** @param name the field the value is, named (with the path within it) when a value has no tag */
        void putField(String name, Object v) {
            try {
                putValue(v);
            } catch (UntaggedValue ex) {
                throw new SerializationException(name + ex.path + " holds a " + ex.type
                        + ", which is not a JSON value (string, number, boolean, null, list or map)");
            }
        }

        private void putValue(Object v) {
            switch (v) {
                case null -> put(NULL);
                case String s -> {
                    put(STRING);
                    putString(s);
                }
                case Boolean b -> put(b ? TRUE : FALSE);
                case Integer i -> {
                    put(INT);
                    putInt(i);
                }
                case Long l -> {
                    put(LONG);
                    putLong(l);
                }
                case BigInteger b -> {
                    put(BIG_INTEGER);
                    putString(b.toString());
                }
                case Double d -> {
                    put(DOUBLE);
                    putLong(Double.doubleToRawLongBits(d));
                }
                case BigDecimal b -> {
                    put(BIG_DECIMAL);
                    putString(b.toString());
                }
                case List<?> list -> {
                    put(LIST);
                    putInt(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        try {
                            putValue(list.get(i));
                        } catch (UntaggedValue ex) {
                            throw ex.within("[" + i + "]");
                        }
                    }
                }
                case Map<?, ?> map -> {
                    put(MAP);
                    putInt(map.size());
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        putString(String.valueOf(e.getKey()));
                        try {
                            putValue(e.getValue());
                        } catch (UntaggedValue ex) {
                            throw ex.within("." + e.getKey());
                        }
                    }
                }
                default -> throw new UntaggedValue(v.getClass().getName());
            }
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    /** A value of a type no tag stands for, with its path built while the stack unwinds (no path on the way down). */
    private static final class UntaggedValue extends RuntimeException {

        private final String type;
        private String path = "";

        UntaggedValue(String type) {
            super(null, null, false, false);
            this.type = type;
        }

        UntaggedValue within(String segment) {
            path = segment + path;
            return this;
        }
    }
}
