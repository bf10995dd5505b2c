package dev.mtp.reconciler.topology;

import dev.mtp.reconciler.shadow.ShadowEntry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
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

    private record Due(long at, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : key.compareTo(other.key);
        }
    }

    private record Armed(long at, Check check) {}

    private final NavigableSet<Due> byTime = new TreeSet<>();
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
        put(storedEntry.checkAt(), new Check(storedEntry, storedEntry.checkAt()));
    }

    /**
     * Puts a taken check back, to run at {@code at}; the entry as stored is unchanged. A check no entry records
     * gives way to one pending on the same key.
     */
    void putBack(Check check, long at) {
        if (check.storedAt() == Check.NOT_STORED && pending(check.key())) {
            return;
        }
        put(at, check);
    }

    private void put(long at, Check check) {
        Armed before = byKey.get(check.key());
        if (before != null && before.at() == at && before.check().storedAt() == check.storedAt()) {
            // The common case, a pending key changed again: same place in both indexes, only the header is new
            // (the indexes' tree operations were a tenth of folding an event when done every time).
            byKey.put(check.key(), new Armed(at, check));
            return;
        }
        cancel(check.key());
        byKey.put(check.key(), new Armed(at, check));
        byTime.add(new Due(at, check.key()));
        if (check.storedAt() != Check.NOT_STORED) {
            stored.merge(check.storedAt(), 1, Integer::sum);
        }
    }

    boolean pending(String key) {
        return byKey.containsKey(key);
    }

    /** When the pending check of a key is due; call only when one is pending. */
    long at(String key) {
        return byKey.get(key).at();
    }

    /** The entry header of a key's pending check; null when none is pending. */
    ShadowEntry header(String key) {
        Armed armed = byKey.get(key);
        return armed == null ? null : armed.check().entry();
    }

    void cancel(String key) {
        Armed armed = byKey.remove(key);
        if (armed != null) {
            byTime.remove(new Due(armed.at(), key));
            unstore(armed.check());
        }
    }

    private void unstore(Check check) {
        if (check.storedAt() != Check.NOT_STORED) {
            stored.computeIfPresent(check.storedAt(), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** When the next check is due (epoch ms); Long.MAX_VALUE when none is pending. */
    long nextAt() {
        return byTime.isEmpty() ? Long.MAX_VALUE : byTime.first().at();
    }

    /** Takes the check due first out; call only when one is due. */
    Check takeNext() {
        Check next = byKey.remove(byTime.pollFirst().key()).check();
        unstore(next);
        return next;
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
