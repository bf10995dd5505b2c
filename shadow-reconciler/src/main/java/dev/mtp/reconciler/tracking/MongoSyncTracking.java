package dev.mtp.reconciler.tracking;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.mtp.reconciler.check.CheckOutcome;
import dev.mtp.reconciler.check.DriftKind;
import dev.mtp.reconciler.check.RepairOutcome;
import dev.mtp.mongostore.CachedCodecRegistry;
import dev.mtp.reconciler.check.SyncTracking;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The {@code kvshadow} collection: one document per cache key, for ops.
 * <pre>
 * { _id: "mtp:{session-123}:s", sessionId, keyKind: "session", strategy: "WITH_CONTEXT",
 *   desired:    { versions: "12.AbCdEfGh,7.IjKlMnOp", present: true, expireAt: ISODate },
 *   lastCheck:  { at, source: "targeted", result: "missing", observedVersions: null, observedExpireAt: -2 },
 *   verified:   { versions: "12.AbCdEfGh,7.IjKlMnOp", at }, // the last check that found Redis consistent
 *   checks: 3, drift: { missing: 1 },                       // checks made, drift found by kind
 *   repairs:    { total: 1, missing: 1 },                   // repairs applied by kind
 *   lastRepair: { at, kind: "missing", reason: "key missing", from: null, to: "12.AbCdEfGh,7.IjKlMnOp",
 *                 outcome: "applied", source },
 *   updatedAt }
 * </pre>
 * Versions are written as in a cache value's header: each component its offset and the tag of its topic's incarnation
 * ({@code 12} alone when stored before incarnations were recorded, {@code -1} for none; docs/decisions/0012), so a key
 * of another incarnation shows as such ({@code result: "other_incarnation"}, {@code from} and {@code to} differing in
 * their tags).
 * Checks run on the stream threads and must not wait for MongoDB, so records are coalesced per key in memory (the
 * last check wins, counts add up) and written by one background thread in unordered bulk upserts every
 * {@code app.reconciler.tracking-flush-ms}. A record with news (drift, a repair, a removed key) goes at the next
 * flush; one that only says the key was found consistent waits up to {@code app.reconciler.tracking-hold-ms}, so
 * that the checks of a key whose session is active (one every few seconds at peak load) become one write instead of
 * one each: otherwise tracking alone would write MongoDB more often than mongo-writer does. Past
 * {@code app.reconciler.tracking-max-pending} keys, and when a bulk write fails, records are dropped and counted
 * ({@code mtp_reconciler_tracking_dropped_total}): tracking serves ops, and must never hold back the repairs it
 * describes.
 */
public final class MongoSyncTracking implements SyncTracking {

    public static final String COLLECTION = "kvshadow";
    private static final Logger log = LoggerFactory.getLogger(MongoSyncTracking.class);
    private static final int BULK_SIZE = 1_000;
    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoCollection<Document> collection;
    private final int maxPending;
    private final long holdMs;
    private final LongSupplier nowMs;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    // What a flush looks at, so that it visits the records it writes, not all those held: keys with news, and
    // held records in the order they started waiting (checks' times, nearly ordered across stream threads).
    private final ConcurrentLinkedQueue<String> news = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final ScheduledExecutorService flusher;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Counter written;
    private final Timer flushTimer;

    /**
     * @param hold  how long a record without news may wait for later checks of its key
     * @param nowMs the clock records are held by (their checks' {@code checkedAt} are on it)
     */
    public MongoSyncTracking(MongoDatabase database, Duration flushInterval, Duration hold, int maxPending,
                             MeterRegistry registry, LongSupplier nowMs) {
        this.collection = database.getCollection(COLLECTION).withCodecRegistry(new CachedCodecRegistry());
        this.maxPending = maxPending;
        this.holdMs = hold.toMillis();
        this.nowMs = nowMs;
        this.droppedFull = Counter.builder("mtp.reconciler.tracking.dropped").tag("reason", "full")
                .description("kvshadow records dropped because too many were waiting").register(registry);
        this.droppedFailed = Counter.builder("mtp.reconciler.tracking.dropped").tag("reason", "write_failed")
                .description("kvshadow records dropped because the bulk write failed").register(registry);
        this.written = Counter.builder("mtp.reconciler.tracking.written")
                .description("kvshadow documents written").register(registry);
        this.flushTimer = Timer.builder("mtp.reconciler.tracking.flush")
                .description("Time of one kvshadow bulk write").register(registry);
        registry.gauge("mtp.reconciler.tracking.pending", pendingCount);
        this.flusher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("kvshadow-tracking").factory());
        long ms = flushInterval.toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void checked(CheckOutcome outcome) {
        merge(outcome.key(), Pending.of(outcome));
    }

    @Override
    public void forget(String key) {
        merge(key, Pending.DELETE);
    }

    private void merge(String key, Pending update) {
        if (!pending.containsKey(key) && pendingCount.get() >= maxPending) {
            droppedFull.increment();
            return;
        }
        Pending merged = pending.compute(key, (k, before) -> {
            if (before == null) {
                pendingCount.incrementAndGet();
                return update;
            }
            return before.then(update);
        });
        if (update.isNews()) {
            news.add(key);
        } else if (merged == update) {
            held.add(new Held(key, update.since()));
        }
    }

    /**
     * Writes the records with news and those held long enough; returns the number of documents written. Called by
     * the flusher and by tests.
     */
    public int flush() {
        return flushHeldSince(nowMs.getAsLong() - holdMs);
    }

    /** Writes every pending record, held or not. */
    private synchronized int flushAll() {
        news.clear();
        held.clear();
        Batch batch = new Batch();
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            take(e.getKey(), e.getValue(), batch);
        }
        return batch.finish();
    }

    private synchronized int flushHeldSince(long heldSince) {
        Batch batch = new Batch();
        for (String key = news.poll(); key != null; key = news.poll()) {
            Pending p = pending.get(key);
            // Written already (a key may be queued more than once); or news came and went with a write meanwhile.
            if (p != null && (p.isNews() || p.since() <= heldSince)) {
                take(key, p, batch);
            }
        }
        for (Held h = held.peek(); h != null && h.since() <= heldSince; h = held.peek()) {
            held.poll();
            Pending p = pending.get(h.key());
            // Not the record that started waiting then: written with news, and a later one waits in its own turn.
            if (p != null && p.since() == h.since()) {
                take(h.key(), p, batch);
            }
        }
        return batch.finish();
    }

    /** Takes the key's record for writing; one a check changed meanwhile is taken as it is now, merged. */
    private void take(String key, Pending seen, Batch batch) {
        for (Pending p = seen; p != null; p = pending.get(key)) {
            if (pending.remove(key, p)) {
                pendingCount.decrementAndGet();
                batch.add(p.model(key));
                return;
            }
        }
    }

    /** Write models sent in bulk writes of {@code BULK_SIZE}. */
    private final class Batch {
        private List<WriteModel<Document>> models = new ArrayList<>();
        private int written;

        void add(WriteModel<Document> model) {
            models.add(model);
            if (models.size() == BULK_SIZE) {
                written += write(models);
                models = new ArrayList<>();
            }
        }

        int finish() {
            if (!models.isEmpty()) {
                written += write(models);
            }
            return written;
        }
    }

    private int write(List<WriteModel<Document>> models) {
        long start = System.nanoTime();
        try {
            collection.bulkWrite(models, UNORDERED);
            written.increment(models.size());
            return models.size();
        } catch (MongoException e) {
            droppedFailed.increment(models.size());
            log.atWarn().setMessage("kvshadow tracking: bulk write of {} records failed, dropped: {}")
                    .addArgument(models.size()).addArgument(e.getMessage()).log();
            return 0;
        } finally {
            flushTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("kvshadow tracking flush failed", e);
        }
    }

    /** Stops the flusher, then writes every pending record, held ones included. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flushAll();
        } catch (RuntimeException e) {
            log.warn("kvshadow tracking: last flush failed", e);
        }
    }

    /** A record's turn in the hold: its key, and when its first check was (the record's {@code since}). */
    private record Held(String key, long since) {}

    /**
     * What is waiting for one key: the last check, counts since the last write, the last repair, since when it
     * waits; or a delete. Most records are one consistent check: the count maps stay the shared empty map then.
     */
    private record Pending(CheckOutcome last, int checks, Map<DriftKind, Integer> drift,
                           Map<DriftKind, Integer> repairs, CheckOutcome lastRepair, CheckOutcome lastConsistent,
                           long since) {

        static final Pending DELETE = new Pending(null, 0, Map.of(), Map.of(), null, null, Long.MIN_VALUE);

        static Pending of(CheckOutcome o) {
            Map<DriftKind, Integer> drift = o.result().isDrift() ? new EnumMap<>(Map.of(o.result(), 1)) : Map.of();
            Map<DriftKind, Integer> repairs = o.repair() == RepairOutcome.APPLIED
                    ? new EnumMap<>(Map.of(o.result(), 1)) : Map.of();
            return new Pending(o, 1, drift, repairs, o.result().isDrift() ? o : null, o.consistent() ? o : null,
                    o.checkedAt());
        }

        boolean isDelete() {
            return last == null;
        }

        /** Drift (repaired or not) or a removed key: ops should see it at the next flush. */
        boolean isNews() {
            return isDelete() || !drift.isEmpty();
        }

        Pending then(Pending next) {
            if (next.isDelete() || isDelete()) {
                return next;
            }
            return new Pending(next.last, checks + next.checks, sum(drift, next.drift), sum(repairs, next.repairs),
                    next.lastRepair != null ? next.lastRepair : lastRepair,
                    next.lastConsistent != null ? next.lastConsistent : lastConsistent, since);
        }

        private static Map<DriftKind, Integer> sum(Map<DriftKind, Integer> a, Map<DriftKind, Integer> b) {
            if (b.isEmpty()) {
                return a;
            }
            if (a.isEmpty()) {
                return b;
            }
            Map<DriftKind, Integer> sum = new EnumMap<>(a);
            b.forEach((k, v) -> sum.merge(k, v, Integer::sum));
            return sum;
        }

        WriteModel<Document> model(String key) {
            if (isDelete()) {
                return new DeleteOneModel<>(Filters.eq("_id", key));
            }
            return new UpdateOneModel<>(Filters.eq("_id", key),
                    KvShadowUpdate.of(last, lastConsistent, lastRepair, checks, drift, repairs), UPSERT);
        }
    }
}
