package dev.mtp.cachestore;

import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis cache of the pipeline, for its three users (docs/decisions/0002):
 * <ul>
 *   <li><b>cache-writer</b>: {@link #write(List)} once per poll: the writes are pipelined on the shared connection
 *       and flushed together (one round trip per node), each one a version-guarded script call;</li>
 *   <li><b>ingest</b>: after Kafka acknowledged an event, {@code write(CacheWrite.interaction(event, version, KEEP))}
 *       (or the session write of a {@code session.created}) bounded by its own timeout
 *       ({@code .orTimeout(...)}); reads: {@link #session}, {@link #interaction}, {@link #latestResponse};</li>
 *   <li><b>reconciler</b>: {@link #inspect} a key (value, versions, expiry in one atomic read), compare with the
 *       desired state, repair with {@link #write(CacheWrite)} (guarded like any write, so a repair never takes a key
 *       back); {@link #interactionIds} lists a session's interaction keys without SCAN.</li>
 * </ul>
 * Every method is asynchronous and thread-safe. Failures complete the future exceptionally (reads) or appear per
 * write in its {@link WriteResult}; {@link CacheErrors} says which are worth retrying.
 */
public interface CacheStore extends AutoCloseable {

    /** The key layout in use. */
    CacheKeys keys();

    /**
     * Executes the writes as one pipeline: all are sent, then flushed, then awaited. Results are in the order of
     * {@code writes}. Writes to different sessions are independent; writes to one session are applied in order.
     */
    CompletableFuture<List<WriteResult>> write(List<CacheWrite> writes);

    /** One write. */
    default CompletableFuture<WriteResult> write(CacheWrite write) {
        return write(List.of(write)).thenApply(results -> results.get(0));
    }

    /** The session's cached projection; empty when not cached (or removed). */
    CompletableFuture<Optional<CachedValue<SessionField>>> session(String sessionId);

    /** The interaction's cached projection; empty when not cached. */
    CompletableFuture<Optional<CachedValue<InteractionField>>> interaction(String sessionId, String interactionId);

    /** The session's latest interaction response, one GET; empty when not cached. */
    CompletableFuture<Optional<CachedValue<InteractionField>>> latestResponse(String sessionId);

    /** Ids of the session's interactions that were cached within the longest interaction TTL (some may have expired). */
    CompletableFuture<Set<String>> interactionIds(String sessionId);

    /**
     * A key's raw value and absolute expiry, read atomically; {@link StoredKey#versions()} gives the versions it was
     * written at with their incarnations ({@code UNKNOWN} for a value written before incarnations were recorded).
     */
    CompletableFuture<StoredKey> inspect(String key);

    /**
     * Several keys' raw values and absolute expiries (each read atomically), as one pipeline: all are sent, then
     * flushed once, then awaited. Results are in the order of {@code keys}; the future fails if any read failed.
     */
    default CompletableFuture<List<StoredKey>> inspect(List<String> keys) {
        List<CompletableFuture<StoredKey>> reads = keys.stream().map(this::inspect).toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(done -> reads.stream().map(CompletableFuture::join).toList());
    }

    /** PING, for readiness checks. */
    CompletableFuture<String> ping();

    @Override
    void close();
}
