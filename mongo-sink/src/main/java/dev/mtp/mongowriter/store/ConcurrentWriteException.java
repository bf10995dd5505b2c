package dev.mtp.mongowriter.store;

/**
 * Version guards kept losing to another writer of the same documents for more rounds than allowed (e.g. a
 * zombie instance after a rebalance). Transient: the loop retries the batch after a backoff.
 */
public final class ConcurrentWriteException extends RuntimeException {
    public ConcurrentWriteException(String message) {
        super(message);
    }
}
