package dev.mtp.cachestore;

/** A cached value that this layout cannot read: not written by cache-store, or damaged. */
public final class CorruptValueException extends RuntimeException {
    public CorruptValueException(String message) {
        super(message);
    }
}
