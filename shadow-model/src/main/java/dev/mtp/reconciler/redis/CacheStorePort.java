package dev.mtp.reconciler.redis;

import dev.mtp.cachestore.CacheErrors;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.reconciler.check.CachePort;
import dev.mtp.reconciler.check.RepairOutcome;
import dev.mtp.reconciler.check.RepairPlanner;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link CachePort} on cache-store: reads with its atomic {@code inspect} script, repairs with its version-guarded
 * writes, so the reconciler and cache-writer run the same code against the same keys and never fight.
 *
 * <p>The one thing cache-store's guard cannot do is a repair at the versions Redis already holds (wrong TTL, wrong
 * content, a value that outlived its planned expiry): "incoming must be newer" rightly refuses it. That repair is an
 * optimistic compare-and-set (WATCH, compare the exact bytes and expiry that were judged, MULTI, SET, EXEC) on a
 * connection of its own, writing cache-store's own encoding: it can only replace what was read, never anything a
 * writer stored since, so it is at least as safe as the guard. Such drift only comes from outside the pipeline (a
 * PERSIST or EXPIRE by hand, a corrupted value), so this path is rare and not pipelined. It needs a standalone Redis:
 * on Redis Cluster it reports the drift without repairing it.
 */
public final class CacheStorePort implements CachePort {

    private final CacheStore store;
    private final StatefulRedisConnection<String, byte[]> casConnection;
    private final long timeoutMs;

    /**
     * @param casConnection a connection of its own for compare-and-set (MULTI state is per connection); null on
     *                      Redis Cluster, where such repairs are reported only
     */
    public CacheStorePort(CacheStore store, StatefulRedisConnection<String, byte[]> casConnection,
                          Duration commandTimeout) {
        this.store = store;
        this.casConnection = casConnection;
        this.timeoutMs = commandTimeout.toMillis() * 2;
    }

    @Override
    public List<StoredKey> inspect(List<String> keys) throws CacheUnavailableException {
        try {
            // One pipeline, flushed once: a recovery sweep is bound by these rounds.
            return store.inspect(keys).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unavailable("inspect", e.getCause());
        } catch (TimeoutException e) {
            throw new CacheUnavailableException("Redis did not answer " + keys.size() + " reads within "
                    + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException("interrupted", e);
        }
    }

    @Override
    public List<WriteResult> write(List<CacheWrite> writes) throws CacheUnavailableException {
        try {
            return store.write(writes).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unavailable("write", e.getCause());
        } catch (TimeoutException e) {
            throw new CacheUnavailableException("Redis did not answer " + writes.size() + " writes within "
                    + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException("interrupted", e);
        }
    }

    @Override
    public synchronized RepairOutcome rewrite(StoredKey seen, RepairPlanner.Rewrite rewrite)
            throws CacheUnavailableException {
        if (casConnection == null) {
            return RepairOutcome.REPORTED;
        }
        RedisCommands<String, byte[]> c = casConnection.sync();
        String key = rewrite.key();
        try {
            c.watch(key);
            byte[] current = c.get(key);
            long expireAt = c.pexpiretime(key);
            if (!Arrays.equals(current, seen.value()) || expireAt != seen.expireAtMs()) {
                c.unwatch();
                return RepairOutcome.SUPERSEDED;
            }
            c.multi();
            c.set(key, rewrite.value(), rewrite.expireAtMs() > 0 ? SetArgs.Builder.pxAt(rewrite.expireAtMs())
                    : SetArgs.Builder.px(rewrite.tombstoneTtlMs()));
            TransactionResult result = c.exec();
            return result.wasDiscarded() ? RepairOutcome.SUPERSEDED : RepairOutcome.APPLIED;
        } catch (RedisException e) {
            try {
                c.discard();
            } catch (RedisException ignored) {
                // not in MULTI, or the connection is down: either way nothing was applied
            }
            throw unavailable("compare-and-set", e);
        }
    }

    private static CacheUnavailableException unavailable(String what, Throwable cause) {
        String transientNote = CacheErrors.CLASSIFIER.isTransient(cause) ? "" : " (not transient)";
        return new CacheUnavailableException("Redis " + what + " failed" + transientNote + ": " + cause, cause);
    }
}
