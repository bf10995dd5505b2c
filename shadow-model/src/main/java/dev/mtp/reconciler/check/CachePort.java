package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.WriteResult;

import java.util.List;

/**
 * What the reconciler needs from Redis, all of it through cache-store (same keys, same guard, same encoding as
 * cache-writer). Calls block the caller (a stream thread, or the CLI) until Redis answered, at most the cache's
 * command timeout.
 */
public interface CachePort {

    /** Each key's raw value and absolute expiry, read atomically per key, the keys pipelined. */
    List<StoredKey> inspect(List<String> keys) throws CacheUnavailableException;

    /** The writes as one pipeline, each version-guarded; results in order. Failures are per write. */
    List<WriteResult> write(List<CacheWrite> writes) throws CacheUnavailableException;

    /**
     * Replaces the key with {@code rewrite}'s bytes only if it still holds exactly {@code seen} (bytes and expiry),
     * atomically: {@link RepairOutcome#APPLIED} when replaced, {@link RepairOutcome#SUPERSEDED} when the key changed
     * since it was read (a writer moved on), {@link RepairOutcome#REPORTED} when this Redis cannot do it (Cluster).
     */
    RepairOutcome rewrite(StoredKey seen, RepairPlanner.Rewrite rewrite) throws CacheUnavailableException;

    /** Redis did not answer (down, restarting, timed out). */
    final class CacheUnavailableException extends Exception {
        public CacheUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
