package dev.mtp.cachestore;

import java.util.Optional;

/**
 * One key as Redis holds it right now, read atomically with its expiry, for checks and repairs (the reconciler).
 *
 * @param value      the raw value; null when the key does not exist
 * @param expireAtMs absolute expiry in epoch ms; -1 no expiry (a broken invariant 4), -2 no key
 */
public record StoredKey(String key, byte[] value, long expireAtMs) {

    public boolean exists() {
        return value != null;
    }

    /** The header, when the key exists and is of this layout. */
    public Optional<ValueCodec.Header> header() {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ValueCodec.header(value));
        } catch (CorruptValueException e) {
            return Optional.empty();
        }
    }

    public boolean isTombstone() {
        return header().map(ValueCodec.Header::isTombstone).orElse(false);
    }

    /**
     * The versions the value was written at, each with its incarnation ({@code UNKNOWN} for a component written before
     * incarnations were recorded): a reconciler judges a stored incarnation other than the one it consumes as drift.
     */
    public Optional<VersionVector> versions() {
        return header().map(ValueCodec.Header::versions);
    }
}
