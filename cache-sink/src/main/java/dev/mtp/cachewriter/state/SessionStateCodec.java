package dev.mtp.cachewriter.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtp.common.json.IsoInstants;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.InteractionIdSet;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A {@link SessionState} as the value of a record of the state topic: JSON, format version 2, every field
 * (the interaction id digests as base64 of big-endian longs). Readable by anyone with the topic, e.g. for debugging:
 * {@code kafka-console-consumer --topic mtp.cache-writer.session-state.v1 --property print.key=true}.
 *
 * <p>Format 2 keeps the incarnation of each version beside its offset ({@code si}, {@code ii}; absent for no
 * version), docs/decisions/0012. Format 1, written before incarnations were recorded, is still read: its versions get
 * {@link Incarnation#UNKNOWN}, so the first event of the consumed incarnation supersedes them. A cache-writer that
 * reads only format 1 refuses format 2 by its format number rather than misread its versions.
 */
public final class SessionStateCodec {

    static final int FORMAT = 2;
    /** States written before incarnations were recorded. */
    static final int FORMAT_WITHOUT_INCARNATIONS = 1;

    private SessionStateCodec() {}

    /** The record as read; {@link #encode} writes the same fields, absent when null or empty. */
    record Wire(@JsonProperty("f") int format,
                @JsonProperty("sv") long sessionVersion,
                @JsonProperty("si") String sessionIncarnation,
                @JsonProperty("iv") long interactionsVersion,
                @JsonProperty("ii") String interactionsIncarnation,
                @JsonProperty("lc") SessionState.Lifecycle lifecycle,
                @JsonProperty("u") String userId,
                @JsonProperty("st") String status,
                @JsonProperty("cx") Map<String, Object> context,
                @JsonProperty("md") Map<String, Object> metadata,
                @JsonProperty("cs") SessionCacheStrategy strategy,
                @JsonProperty("ca") Instant createdAt,
                @JsonProperty("ua") Instant updatedAt,
                @JsonProperty("cl") Instant closedAt,
                @JsonProperty("ids") String interactionIds,
                @JsonProperty("li") String lastInteractionId,
                @JsonProperty("la") Instant lastActivityAt) {}

    /**
     * The fields of {@link Wire}, in its order, written with the streaming generator: a state is written per changed
     * session per batch, and binding a record cost as much as the rest of persisting it.
     */
    public static byte[] encode(SessionState s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("f", FORMAT);
            version(g, "sv", "si", s.sessionVersion());
            version(g, "iv", "ii", s.interactionsVersion());
            text(g, "lc", s.lifecycle() == null ? null : s.lifecycle().name());
            text(g, "u", s.userId());
            text(g, "st", s.status());
            map(g, "cx", s.context());
            map(g, "md", s.metadata());
            text(g, "cs", s.strategy() == null ? null : s.strategy().name());
            instant(g, "ca", s.createdAt());
            instant(g, "ua", s.updatedAt());
            instant(g, "cl", s.closedAt());
            text(g, "ids", digests(s.interactionIds()));
            text(g, "li", s.lastInteractionId());
            instant(g, "la", s.lastActivityAt());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the state of session " + s.sessionId(), e);
        }
        return out.toByteArray();
    }

    private static void version(JsonGenerator g, String offsetField, String incarnationField, Version v)
            throws IOException {
        g.writeNumberField(offsetField, v.offset());
        text(g, incarnationField, v.incarnation().isKnown() ? v.incarnation().tag() : null);
    }

    private static void text(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(field, IsoInstants.format(value));
        }
    }

    private static void map(JsonGenerator g, String field, Map<String, Object> value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeFieldName(field);
            g.writeObject(value);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a state of a known format */
    public static SessionState decode(String sessionId, byte[] bytes) {
        Wire w;
        try {
            w = Json.mapper().readValue(bytes, Wire.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable state of session " + sessionId + ": " + e.getMessage(), e);
        }
        if (w.format() != FORMAT && w.format() != FORMAT_WITHOUT_INCARNATIONS) {
            throw new IllegalArgumentException("state of session " + sessionId + " has format " + w.format()
                    + "; this cache-writer reads formats " + FORMAT_WITHOUT_INCARNATIONS + " and " + FORMAT);
        }
        try {
            return new SessionState(sessionId, version(w.sessionVersion(), w.sessionIncarnation()),
                    version(w.interactionsVersion(), w.interactionsIncarnation()), w.lifecycle(), w.userId(),
                    w.status(), w.context(), w.metadata(), w.strategy(), w.createdAt(), w.updatedAt(), w.closedAt(),
                    interactionIds(w.interactionIds()), w.lastInteractionId(), w.lastActivityAt());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid state of session " + sessionId + ": " + e.getMessage(), e);
        }
    }

    /** A format 1 state has no incarnations: {@link Incarnation#parse} reads an absent one as unknown. */
    private static Version version(long offset, String incarnation) {
        return Version.of(Incarnation.parse(incarnation), offset);
    }

    private static String digests(InteractionIdSet ids) {
        if (ids.size() == 0) {
            return null;
        }
        long[] d = ids.digests();
        ByteBuffer buffer = ByteBuffer.allocate(d.length * Long.BYTES);
        for (long v : d) {
            buffer.putLong(v);
        }
        return Base64.getEncoder().withoutPadding().encodeToString(buffer.array());
    }

    private static InteractionIdSet interactionIds(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return InteractionIdSet.EMPTY;
        }
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
        long[] d = new long[buffer.remaining() / Long.BYTES];
        for (int i = 0; i < d.length; i++) {
            d[i] = buffer.getLong();
        }
        return InteractionIdSet.ofDigests(d);
    }
}
