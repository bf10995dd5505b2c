package dev.mtp.ingest.application.sync;

import dev.mtp.common.event.EventEnvelope;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The seed's adaptiveSync, after the Kafka acknowledgement: under normal load the event's cache
 * projection is also written to Redis directly (bounded by {@code app.sync.async-timeout-ms}, on a
 * pool of {@code app.sync.max-async-threads}); under high load (pool and its queue full, or the
 * producer's backlog of unacknowledged sends above its bound) the write goes by the event path only.
 * The event path always runs: the fast path only makes the cache fresh sooner. It never decides
 * success: the write was acknowledged by Kafka before this runs.
 */
public final class AdaptiveSync implements AutoCloseable {

    /** Load as the original design measures it: the fast path's pool and the publish backlog. */
    public record Load(boolean high, String level, int activeThreads, int maxThreads, int queued, int maxQueued,
                       long publishBacklog, long maxPublishBacklog, String reason) {}

    private final Optional<CacheFastPath> fastPath;
    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int maxQueued;
    private final Duration timeout;
    private final LongSupplier publishBacklog;
    private final long maxPublishBacklog;

    private final LongAdder direct = new LongAdder();
    private final LongAdder directStale = new LongAdder();
    private final LongAdder directTimedOut = new LongAdder();
    private final LongAdder directFailed = new LongAdder();
    private final LongAdder eventHighLoad = new LongAdder();
    private final LongAdder eventNotCached = new LongAdder();
    private final LongAdder eventFastPathOff = new LongAdder();
    private final LongAdder directNanos = new LongAdder();
    private final AtomicLong maxDirectNanos = new AtomicLong();

    public AdaptiveSync(Optional<CacheFastPath> fastPath, int threads, int maxQueued, Duration timeout,
                        LongSupplier publishBacklog, long maxPublishBacklog) {
        this.fastPath = fastPath;
        this.threads = threads;
        this.maxQueued = maxQueued;
        this.timeout = timeout;
        this.publishBacklog = publishBacklog;
        this.maxPublishBacklog = maxPublishBacklog;
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, maxQueued)),
                Thread.ofPlatform().name("fast-path-", 0).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Only the event path: no cache fast path configured. */
    public static AdaptiveSync eventOnly(LongSupplier publishBacklog) {
        return new AdaptiveSync(Optional.empty(), 1, 1, Duration.ofMillis(1), publishBacklog, Long.MAX_VALUE);
    }

    public boolean fastPathAvailable() {
        return fastPath.isPresent();
    }

    /** Runs after Kafka acknowledged {@code event} at {@code partition} and {@code offset}; never throws. */
    public SyncResult afterAck(EventEnvelope event, int partition, long offset) {
        if (fastPath.isEmpty()) {
            eventFastPathOff.increment();
            return new SyncResult(SyncMethod.KAFKA_EVENT, "cache fast path not configured");
        }
        if (!fastPath.get().handles(event)) {
            eventNotCached.increment();
            return new SyncResult(SyncMethod.KAFKA_EVENT, "no cache projection for " + event.type().wireName()
                    + (event.cacheStrategy() == null ? "" : " with " + event.cacheStrategy()));
        }
        Load load = load();
        if (load.high()) {
            eventHighLoad.increment();
            return new SyncResult(SyncMethod.KAFKA_EVENT, "high load: " + load.reason());
        }
        long started = System.nanoTime();
        Future<CacheFastPath.Outcome> write;
        try {
            write = pool.submit(() -> fastPath.get().write(event, partition, offset));
        } catch (RejectedExecutionException e) {
            eventHighLoad.increment();
            return new SyncResult(SyncMethod.KAFKA_EVENT, "high load: fast-path pool saturated");
        }
        try {
            CacheFastPath.Outcome outcome = write.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long took = System.nanoTime() - started;
            directNanos.add(took);
            maxDirectNanos.accumulateAndGet(took, Math::max);
            return switch (outcome) {
                case WRITTEN -> {
                    direct.increment();
                    yield new SyncResult(SyncMethod.HYBRID_DIRECT,
                            "written to Redis directly at version " + offset);
                }
                case ALREADY_NEWER -> {
                    directStale.increment();
                    yield new SyncResult(SyncMethod.HYBRID_DIRECT,
                            "Redis already held version " + offset + " or newer");
                }
                case OTHER_INCARNATION -> {
                    directStale.increment();
                    yield new SyncResult(SyncMethod.KAFKA_EVENT, "Redis holds a value written from another incarnation "
                            + "of the topic; cache-writer, consuming this one, replaces it");
                }
            };
        } catch (TimeoutException e) {
            // The write may still land; the version guard makes that harmless either way.
            directTimedOut.increment();
            return new SyncResult(SyncMethod.KAFKA_EVENT, "direct write took longer than " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            directFailed.increment();
            return new SyncResult(SyncMethod.KAFKA_EVENT, "direct write failed: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            directFailed.increment();
            return new SyncResult(SyncMethod.KAFKA_EVENT, "interrupted");
        }
    }

    public Load load() {
        int active = pool.getActiveCount();
        int queued = pool.getQueue().size();
        long backlog = publishBacklog.getAsLong();
        String reason;
        if (fastPath.isPresent() && active >= threads && queued >= maxQueued) {
            reason = "fast-path pool saturated (" + active + "/" + threads + " threads busy, " + queued + " queued)";
        } else if (backlog > maxPublishBacklog) {
            reason = "publish backlog " + backlog + " unacknowledged sends > " + maxPublishBacklog;
        } else {
            reason = null;
        }
        boolean high = reason != null;
        String level = high ? "HIGH" : (active >= threads || backlog > maxPublishBacklog / 2 ? "ELEVATED" : "NORMAL");
        return new Load(high, level, active, threads, queued, maxQueued, backlog, maxPublishBacklog,
                high ? reason : "normal");
    }

    /** Counters since start, for the sync stats tool and /metrics. */
    public Map<String, Object> stats() {
        long directWrites = direct.sum() + directStale.sum();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("fastPathAvailable", fastPath.isPresent());
        stats.put("hybridDirect", direct.sum());
        stats.put("hybridDirectAlreadyCurrent", directStale.sum());
        stats.put("eventOnlyHighLoad", eventHighLoad.sum());
        stats.put("eventOnlyTimedOut", directTimedOut.sum());
        stats.put("eventOnlyFailed", directFailed.sum());
        stats.put("eventOnlyNotCached", eventNotCached.sum());
        stats.put("eventOnlyFastPathOff", eventFastPathOff.sum());
        stats.put("directWriteAvgMs", directWrites == 0 ? 0.0 : directNanos.sum() / 1e6 / directWrites);
        stats.put("directWriteMaxMs", maxDirectNanos.get() / 1e6);
        stats.put("asyncTimeoutMs", timeout.toMillis());
        stats.put("maxAsyncThreads", threads);
        return stats;
    }

    /** For metrics: a counter by name from {@link #stats()}. */
    public double counter(String name) {
        Object value = stats().get(name);
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
