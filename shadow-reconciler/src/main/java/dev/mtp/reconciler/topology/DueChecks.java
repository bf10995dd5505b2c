package dev.mtp.reconciler.topology;

import dev.mtp.reconciler.shadow.ShadowEntry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The targeted checks one task has pending, in memory: at most one per cache key, taken in due order.
 *
 * <p>It needs no store of its own: every pending check is also in its key's shadow entry, whose {@code checkAt} is the
 * earliest it may run (cleared once the check is done), so a task rebuilds it from kvshadow when it starts
 * ({@link #pendingIn}), after a restart or a takeover alike.
 */
final class DueChecks {

    private record Due(long at, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : key.compareTo(other.key);
        }
    }

    private final NavigableSet<Due> byTime = new TreeSet<>();
    private final Map<String, Long> byKey = new HashMap<>();

    /**
     * The checks pending in a task's shadow, from one scan of it: the entries' headers say it all, so no payload (state
     * or event) is decoded.
     */
    static DueChecks pendingIn(KeyValueIterator<String, ShadowEntry> shadow) {
        DueChecks due = new DueChecks();
        while (shadow.hasNext()) {
            KeyValue<String, ShadowEntry> kv = shadow.next();
            if (kv.value.checkAt() > 0 && kv.value.desired().checkable()) {
                due.arm(kv.key, kv.value.checkAt());
            }
        }
        return due;
    }

    /** Arms the check of a key at a time, replacing the one it had pending. */
    void arm(String key, long at) {
        Long before = byKey.put(key, at);
        if (before != null) {
            byTime.remove(new Due(before, key));
        }
        byTime.add(new Due(at, key));
    }

    boolean pending(String key) {
        return byKey.containsKey(key);
    }

    void cancel(String key) {
        Long at = byKey.remove(key);
        if (at != null) {
            byTime.remove(new Due(at, key));
        }
    }

    /** When the next check is due (epoch ms); Long.MAX_VALUE when none is pending. */
    long nextAt() {
        return byTime.isEmpty() ? Long.MAX_VALUE : byTime.first().at();
    }

    /** Takes the check due first out of the index and returns its cache key; call only when one is due. */
    String takeNext() {
        Due next = byTime.pollFirst();
        byKey.remove(next.key());
        return next.key();
    }

    int size() {
        return byKey.size();
    }
}
