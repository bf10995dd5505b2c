package dev.mtp.reconciler.topology;

import dev.mtp.reconciler.shadow.ShadowEntry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The targeted checks one task has pending, in memory: at most one per cache key, taken in due order, each with its
 * entry's header (desired state, versions, times; the payload is read back only if a repair needs it), so a check
 * that finds Redis right reads nothing from the store.
 *
 * <p>It needs no store of its own for the checks: every pending check is also in its key's shadow entry, whose
 * {@code checkAt} is the earliest it may run, and the entries are not written again when their checks are done.
 * Instead {@link #doneThrough} says up to which {@code checkAt} every stored check has run; the processor keeps that
 * one number in a small store, and a task rebuilds its checks from the entries above it when it starts
 * ({@link #pendingIn}), after a restart or a takeover alike.
 */
final class DueChecks {

    /**
     * A pending check: the entry as stored (its header, the payload left to {@link ShadowEntry#header}'s source) and
     * the {@code checkAt} stored with it, which stays what a restarted task would find while the check is put off in
     * memory; {@link #NOT_STORED} for a check no entry records (a sweep's repair to try again).
     */
    record Check(ShadowEntry entry, long storedAt) {
        static final long NOT_STORED = Long.MAX_VALUE;

        String key() {
            return entry.key();
        }
    }

    /**
     * A key's pending check and when it is due. A queue holds it while it is pending; once the key's check is taken,
     * cancelled or moved to another time, the queued one is stale (no longer the key's in {@link #byKey}) and is
     * dropped when it reaches the head. Re-armed at the same time, it takes the new check in place.
     */
    private static final class Armed {
        final long at;
        Check check;

        Armed(long at, Check check) {
            this.at = at;
            this.check = check;
        }
    }

    /**
     * Checks armed in due order: nearly all of them, since a change is checked a fixed delay after it happens. Their
     * order comes free, where a sorted set cost a tree insertion and removal per changed key.
     */
    private final ArrayDeque<Armed> inOrder = new ArrayDeque<>();
    /** Checks due before the last one armed in order (put back, or found at start): kept sorted. */
    private final PriorityQueue<Armed> outOfOrder = new PriorityQueue<>(Comparator.comparingLong(a -> a.at));
    private final Map<String, Armed> byKey = new HashMap<>();
    /** How many pending checks were stored with each checkAt: the oldest bounds {@link #doneThrough}. */
    private final TreeMap<Long, Integer> stored = new TreeMap<>();

    /**
     * The checks pending in a task's shadow, from one scan of it: the entries whose {@code checkAt} is above what was
     * done. The entries' headers say it all, so no payload (state or event) is decoded, and none is kept.
     */
    static DueChecks pendingIn(KeyValueIterator<String, ShadowEntry> shadow, long doneThrough,
                               Function<String, ShadowEntry> source) {
        DueChecks due = new DueChecks();
        while (shadow.hasNext()) {
            KeyValue<String, ShadowEntry> kv = shadow.next();
            if (kv.value.checkAt() > doneThrough && kv.value.desired().checkable()) {
                due.arm(kv.value.header(source));
            }
        }
        return due;
    }

    /** Arms the check of an entry as it is stored, at its {@code checkAt}, replacing the one its key had pending. */
    void arm(ShadowEntry storedEntry) {
        put(storedEntry.checkAt(), new Check(storedEntry, storedEntry.checkAt()), true);
    }

    /**
     * Puts a taken check back, to run at {@code at}; the entry as stored is unchanged. A check no entry records
     * gives way to one pending on the same key.
     */
    void putBack(Check check, long at) {
        if (check.storedAt() == Check.NOT_STORED && pending(check.key())) {
            return;
        }
        put(at, check, false);
    }

    /** @param armed a change's check (mostly due after the last armed), not one put back (any time) */
    private void put(long at, Check check, boolean armed) {
        Armed before = byKey.get(check.key());
        if (before != null && before.at == at && before.check.storedAt() == check.storedAt()) {
            // The common case, a pending key changed again: same time, only the header is new.
            before.check = check;
            return;
        }
        if (before != null) {
            unstore(byKey.remove(check.key()).check);
        }
        Armed pending = new Armed(at, check);
        byKey.put(check.key(), pending);
        if (armed && (inOrder.isEmpty() || inOrder.peekLast().at <= at)) {
            inOrder.addLast(pending);
        } else {
            outOfOrder.add(pending);
        }
        if (check.storedAt() != Check.NOT_STORED) {
            stored.merge(check.storedAt(), 1, Integer::sum);
        }
    }

    boolean pending(String key) {
        return byKey.containsKey(key);
    }

    /** When the pending check of a key is due; {@code otherwise} when none is pending. */
    long at(String key, long otherwise) {
        Armed armed = byKey.get(key);
        return armed == null ? otherwise : armed.at;
    }

    /** The entry header of a key's pending check; null when none is pending. */
    ShadowEntry header(String key) {
        Armed armed = byKey.get(key);
        return armed == null ? null : armed.check.entry();
    }

    void cancel(String key) {
        Armed armed = byKey.remove(key);
        if (armed != null) {
            unstore(armed.check);
        }
    }

    private void unstore(Check check) {
        if (check.storedAt() != Check.NOT_STORED) {
            stored.computeIfPresent(check.storedAt(), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** When the next check is due (epoch ms); Long.MAX_VALUE when none is pending. */
    long nextAt() {
        Armed next = next();
        return next == null ? Long.MAX_VALUE : next.at;
    }

    /** Takes the check due first out; call only when one is due. */
    Check takeNext() {
        Armed next = next();
        (next == inOrder.peekFirst() ? inOrder : outOfOrder).remove();
        byKey.remove(next.check.key());
        unstore(next.check);
        return next.check;
    }

    /** The pending check due first, stale ones at the heads of the queues dropped; null when none is pending. */
    private Armed next() {
        while (!inOrder.isEmpty() && stale(inOrder.peekFirst())) {
            inOrder.removeFirst();
        }
        while (!outOfOrder.isEmpty() && stale(outOfOrder.peek())) {
            outOfOrder.remove();
        }
        Armed first = inOrder.peekFirst();
        Armed other = outOfOrder.peek();
        if (first == null || other != null && other.at < first.at) {
            return other;
        }
        return first;
    }

    private boolean stale(Armed queued) {
        return byKey.get(queued.check.key()) != queued;
    }

    /**
     * The highest {@code checkAt} up to which every check stored in an entry has run: below the oldest one still
     * pending, or, with none pending, {@code now - 1} (an entry stored from now on is checked at now or later).
     */
    long doneThrough(long now) {
        return stored.isEmpty() ? now - 1 : stored.firstKey() - 1;
    }

    int size() {
        return byKey.size();
    }
}
