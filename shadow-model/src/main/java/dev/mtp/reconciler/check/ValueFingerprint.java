package dev.mtp.reconciler.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CachedValue;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A 64-bit fingerprint of what a cached value says (its kind, strategy and fields), independent of how it is stored
 * (plain or deflated, header format): the value hash of KVShadow. Both sides go through cache-store's own codec:
 * the desired value is encoded and decoded back, the observed one decoded, so types (instants, numbers, user maps)
 * compare the same way; map keys are sorted so equal content hashes equal.
 */
public final class ValueFingerprint {

    /** The encoding does not matter for the fingerprint; plain keeps it cheap. */
    private static final ValueCodec PLAIN = new ValueCodec(false, 0);

    private ValueFingerprint() {}

    public static long session(String sessionId, Projection<SessionField> value, VersionVector versions) {
        return of(ValueCodec.decodeSession(sessionId, PLAIN.session(value, versions)).orElseThrow());
    }

    public static long interaction(String sessionId, String interactionId, Projection<InteractionField> value,
                                   VersionVector versions) {
        return of(ValueCodec.decodeInteraction(sessionId, interactionId, PLAIN.interaction(value, versions))
                .orElseThrow());
    }

    public static long latestResponse(String sessionId, Projection<InteractionField> value, VersionVector versions) {
        return of(ValueCodec.decodeLatestResponse(sessionId, PLAIN.latestResponse(value, versions)).orElseThrow());
    }

    /** The fingerprint of the value an entry desires (present), rebuilt from its state or event. */
    public static long desired(dev.mtp.reconciler.shadow.ShadowEntry e) {
        VersionVector v = e.desired().versions();
        return switch (e.kind()) {
            case SESSION -> session(e.sessionId(), dev.mtp.common.projection.SessionProjection.of(e.state())
                    .orElseThrow(), v);
            case INTERACTION -> interaction(e.sessionId(), e.interactionId(),
                    dev.mtp.common.projection.InteractionProjection.of(e.event()).orElseThrow(), v);
            case LATEST_RESPONSE -> latestResponse(e.sessionId(),
                    dev.mtp.common.projection.InteractionProjection.latestResponse(e.event()).orElseThrow(), v);
            case INTERACTION_INDEX -> throw new IllegalArgumentException("the interaction index is not shadowed");
        };
    }

    /**
     * The fingerprint of a stored value of this key; empty for a tombstone.
     *
     * @throws dev.mtp.cachestore.CorruptValueException when the value cannot be read
     */
    public static Optional<Long> observed(CacheKeys.Parsed key, byte[] value) {
        Optional<? extends CachedValue<?>> decoded = switch (key.kind()) {
            case SESSION -> ValueCodec.decodeSession(key.sessionId(), value);
            case INTERACTION -> ValueCodec.decodeInteraction(key.sessionId(), key.interactionId(), value);
            case LATEST_RESPONSE -> ValueCodec.decodeLatestResponse(key.sessionId(), value);
            case INTERACTION_INDEX -> throw new IllegalArgumentException("the interaction index has no value");
        };
        return decoded.map(ValueFingerprint::of);
    }

    static long of(CachedValue<?> value) {
        Map<String, Object> canonical = new TreeMap<>();
        canonical.put("~kind", value.kind().name());
        canonical.put("~strategy", value.strategy().name());
        value.toJsonMap().forEach((k, v) -> canonical.put(k, sorted(v)));
        try {
            byte[] bytes = Json.mapper().writeValueAsBytes(canonical);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return ByteBuffer.wrap(digest).getLong();
        } catch (JsonProcessingException e) {
            // Decoded values are JSON by construction.
            throw new IllegalStateException("cannot fingerprint a cache value", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(sorted(v)));
            return out;
        }
        return value;
    }

}
