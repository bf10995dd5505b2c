package dev.mtp.cachewriter.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.InteractionIdSet;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A {@link SessionState} as the value of a record of the state topic: JSON, format version 1, every field
 * (the interaction id digests as base64 of big-endian longs). Readable by anyone with the topic, e.g. for debugging:
 * {@code kafka-console-consumer --topic mtp.cache-writer.session-state.v1 --property print.key=true}.
 */
public final class SessionStateCodec {

    static final int FORMAT = 1;

    private SessionStateCodec() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Wire(@JsonProperty("f") int format,
                @JsonProperty("sv") long sessionVersion,
                @JsonProperty("iv") long interactionsVersion,
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

    public static byte[] encode(SessionState s) {
        Wire wire = new Wire(FORMAT, s.sessionVersion(), s.interactionsVersion(), s.lifecycle(), s.userId(),
                s.status(), s.context().isEmpty() ? null : s.context(), s.metadata().isEmpty() ? null : s.metadata(),
                s.strategy(), s.createdAt(), s.updatedAt(), s.closedAt(), digests(s.interactionIds()),
                s.lastInteractionId(), s.lastActivityAt());
        try {
            return Json.mapper().writeValueAsBytes(wire);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the state of session " + s.sessionId(), e);
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
        if (w.format() != FORMAT) {
            throw new IllegalArgumentException("state of session " + sessionId + " has format " + w.format()
                    + "; this cache-writer reads format " + FORMAT);
        }
        return new SessionState(sessionId, w.sessionVersion(), w.interactionsVersion(), w.lifecycle(), w.userId(),
                w.status(), w.context(), w.metadata(), w.strategy(), w.createdAt(), w.updatedAt(), w.closedAt(),
                interactionIds(w.interactionIds()), w.lastInteractionId(), w.lastActivityAt());
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
