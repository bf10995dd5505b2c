package dev.mtp.cachestore;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.SessionField;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The value format of every cache key (docs/decisions/0002):
 * <pre>
 *   &lt;format&gt;&lt;strategy&gt;:&lt;versions&gt;|&lt;body&gt;
 *   j1:12.AbCdEfGh,7.IjKlMnOp|{"u":"user-456","st":"active","ca":1764065730000,"ua":1764065730000}
 * </pre>
 * <ul>
 *   <li>format: {@code j} JSON body, {@code d} the same JSON raw-deflated with {@link Deflate#DICTIONARY},
 *       {@code t} tombstone (no body: the key was removed at these versions);</li>
 *   <li>strategy: the ordinal of the session or interaction strategy ({@code 0} for a tombstone);</li>
 *   <li>versions: {@link VersionVector}, each component {@code <offset>.<incarnation tag>} ({@code -1} untagged; a
 *       component without a tag was written before incarnations were recorded), what the Lua guard compares;</li>
 *   <li>body: a JSON object with short names (below); ids that the key already holds are left out,
 *       timestamps are epoch milliseconds, user maps are JSON as given.</li>
 * </ul>
 * Readers accept every format whatever {@code cache-compression} says, so compression can be switched at any time.
 */
public final class ValueCodec {

    public static final byte PLAIN = 'j';
    public static final byte DEFLATED = 'd';
    public static final byte TOMBSTONE = 't';

    /** Body names of session fields; null: held by the key (session id) or the header (strategy). */
    static String code(SessionField field) {
        return switch (field) {
            case SESSION_ID, CACHE_STRATEGY -> null;
            case USER_ID -> "u";
            case STATUS -> "st";
            case CREATED_AT -> "ca";
            case UPDATED_AT -> "ua";
            case LAST_ACTIVITY_AT -> "la";
            case CONTEXT -> "cx";
            case INTERACTION_COUNT -> "n";
            case METADATA -> "md";
            case LAST_INTERACTION_ID -> "li";
        };
    }

    /** Body names of interaction fields; the latest-response key keeps the interaction id as {@code id}. */
    static String code(InteractionField field, boolean latest) {
        return switch (field) {
            case SESSION_ID, CACHE_STRATEGY -> null;
            case INTERACTION_ID -> latest ? "id" : null;
            case RESPONSE -> "r";
            case RECORDED_AT -> "t";
            case REQUEST -> "q";
            case CONTEXT -> "cx";
            case ROLE -> "ro";
            case METADATA -> "md";
            case PROCESSING_TIME_MS -> "pt";
        };
    }

    private static final TypeReference<LinkedHashMap<String, Object>> BODY = new TypeReference<>() {};

    private final boolean compress;
    private final int threshold;

    /**
     * @param compress  {@code app.persistence.cache-compression}
     * @param threshold {@code app.cache.compression-threshold-bytes}: bodies at least this long are deflated
     */
    public ValueCodec(boolean compress, int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be >= 0");
        }
        this.compress = compress;
        this.threshold = threshold;
    }

    // ---------------------------------------------------------------- encoding

    public byte[] session(Projection<SessionField> value, VersionVector versions) {
        return encode(value, versions, ValueCodec::code);
    }

    public byte[] interaction(Projection<InteractionField> value, VersionVector versions) {
        return interactionLike(value, versions, false);
    }

    public byte[] latestResponse(Projection<InteractionField> value, VersionVector versions) {
        return interactionLike(value, versions, true);
    }

    /** A removed key's value: its versions, no body. */
    public static byte[] tombstone(VersionVector versions) {
        return ("t0:" + versions + "|").getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] interactionLike(Projection<InteractionField> value, VersionVector versions, boolean latest) {
        return encode(value, versions, field -> code(field, latest));
    }

    /** The body is written field by field with the streaming generator: a value is encoded per key per batch. */
    private <F extends Enum<F>> byte[] encode(Projection<F> value, VersionVector versions, Function<F, String> codes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(body)) {
            g.writeStartObject();
            for (Map.Entry<F, Object> field : value.fields().entrySet()) {
                String code = codes.apply(field.getKey());
                if (code != null) {
                    g.writeFieldName(code);
                    write(g, field.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a cache value", e);
        }
        byte[] json = body.toByteArray();
        byte format = PLAIN;
        if (compress && json.length >= threshold) {
            byte[] deflated = Deflate.compress(json);
            if (deflated.length < json.length) {
                json = deflated;
                format = DEFLATED;
            }
        }
        byte[] header = (versions + "|").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[3 + header.length + json.length];
        out[0] = format;
        out[1] = (byte) ('0' + ((Enum<?>) value.strategy()).ordinal());
        out[2] = ':';
        System.arraycopy(header, 0, out, 3, header.length);
        System.arraycopy(json, 0, out, 3 + header.length, json.length);
        return out;
    }

    /** Timestamps as epoch milliseconds; user maps as given. */
    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case String text -> g.writeString(text);
            case Instant instant -> g.writeNumber(instant.toEpochMilli());
            case Long number -> g.writeNumber(number);
            case Integer number -> g.writeNumber(number);
            default -> g.writeObject(value);
        }
    }

    // ---------------------------------------------------------------- decoding

    /** A value's header: format, strategy ordinal, versions, and where the body starts. */
    public record Header(byte format, int strategyOrdinal, VersionVector versions, int bodyOffset) {
        public boolean isTombstone() {
            return format == TOMBSTONE;
        }
    }

    /** @throws CorruptValueException when the value is not of this format */
    public static Header header(byte[] value) {
        if (value.length < 5 || value[2] != ':' || (value[0] != PLAIN && value[0] != DEFLATED && value[0] != TOMBSTONE)
                || value[1] < '0' || value[1] > '9') {
            throw new CorruptValueException("not a cache value of this layout");
        }
        int bar = -1;
        for (int i = 3; i < value.length; i++) {
            if (value[i] == '|') {
                bar = i;
                break;
            }
        }
        if (bar < 0) {
            throw new CorruptValueException("cache value without a header end");
        }
        VersionVector versions;
        try {
            versions = VersionVector.parse(new String(value, 3, bar - 3, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new CorruptValueException(e.getMessage());
        }
        return new Header(value[0], value[1] - '0', versions, bar + 1);
    }

    /** The session key's value; empty for a tombstone. */
    public static Optional<CachedValue<SessionField>> decodeSession(String sessionId, byte[] value) {
        Header h = header(value);
        if (h.isTombstone()) {
            return Optional.empty();
        }
        SessionCacheStrategy strategy = strategy(SessionCacheStrategy.values(), h.strategyOrdinal());
        Map<String, Object> body = body(value, h);
        Map<SessionField, Object> fields = new EnumMap<>(SessionField.class);
        for (SessionField field : strategy.fields()) {
            Object v = switch (field) {
                case SESSION_ID -> sessionId;
                case CACHE_STRATEGY -> strategy.name();
                case CREATED_AT, UPDATED_AT, LAST_ACTIVITY_AT -> instant(body.get(code(field)));
                case INTERACTION_COUNT -> longValue(body.get(code(field)));
                default -> body.get(code(field));
            };
            if (v != null) {
                fields.put(field, v);
            }
        }
        return Optional.of(new CachedValue<>(CacheKeys.Kind.SESSION, strategy, h.versions(), fields,
                h.format() == DEFLATED, value.length));
    }

    /** An interaction key's value; empty for a tombstone. */
    public static Optional<CachedValue<InteractionField>> decodeInteraction(String sessionId, String interactionId,
                                                                             byte[] value) {
        return decodeInteractionLike(sessionId, interactionId, value, false);
    }

    /** The latest-response key's value; empty for a tombstone. */
    public static Optional<CachedValue<InteractionField>> decodeLatestResponse(String sessionId, byte[] value) {
        return decodeInteractionLike(sessionId, null, value, true);
    }

    private static Optional<CachedValue<InteractionField>> decodeInteractionLike(String sessionId, String interactionId,
                                                                                 byte[] value, boolean latest) {
        Header h = header(value);
        if (h.isTombstone()) {
            return Optional.empty();
        }
        InteractionCacheStrategy strategy = strategy(InteractionCacheStrategy.values(), h.strategyOrdinal());
        Map<String, Object> body = body(value, h);
        Map<InteractionField, Object> fields = new EnumMap<>(InteractionField.class);
        for (InteractionField field : strategy.fields()) {
            if (latest && !dev.mtp.common.projection.InteractionProjection.LATEST_RESPONSE_FIELDS.contains(field)) {
                continue;
            }
            Object v = switch (field) {
                case SESSION_ID -> sessionId;
                case CACHE_STRATEGY -> strategy.name();
                case INTERACTION_ID -> latest ? body.get("id") : interactionId;
                case RECORDED_AT -> instant(body.get(code(field, latest)));
                case PROCESSING_TIME_MS -> longValue(body.get(code(field, latest)));
                default -> body.get(code(field, latest));
            };
            if (v != null) {
                fields.put(field, v);
            }
        }
        return Optional.of(new CachedValue<>(latest ? CacheKeys.Kind.LATEST_RESPONSE : CacheKeys.Kind.INTERACTION,
                strategy, h.versions(), fields, h.format() == DEFLATED, value.length));
    }

    private static Map<String, Object> body(byte[] value, Header h) {
        try {
            if (h.format() == DEFLATED) {
                return Json.mapper().readValue(Deflate.decompress(value, h.bodyOffset(), value.length - h.bodyOffset()),
                        BODY);
            }
            return Json.mapper().readValue(value, h.bodyOffset(), value.length - h.bodyOffset(), BODY);
        } catch (IOException e) {
            throw new CorruptValueException("unreadable cache value body: " + e.getMessage());
        }
    }

    private static <S extends Enum<S> & CacheStrategy<?>> S strategy(S[] values, int ordinal) {
        if (ordinal <= 0 || ordinal >= values.length) {
            throw new CorruptValueException("no caching strategy with ordinal " + ordinal);
        }
        return values[ordinal];
    }

    private static Instant instant(Object millis) {
        return millis == null ? null : Instant.ofEpochMilli(((Number) millis).longValue());
    }

    private static Long longValue(Object number) {
        return number == null ? null : ((Number) number).longValue();
    }
}
