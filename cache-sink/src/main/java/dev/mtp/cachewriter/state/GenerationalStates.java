package dev.mtp.cachewriter.state;

import dev.mtp.common.projection.SessionState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session states of one consume loop, per partition, in two generations, so that sessions idle for long can be
 * let go without keeping a timestamp per session (docs/decisions/0008). A state put (changed or restored) joins the
 * young generation; {@link #age} drops the old generation and makes the young one old. Aged once per retention
 * period, a state leaves after one to two periods without a change. Not thread-safe.
 */
final class GenerationalStates {

    private static final class Generations {
        Map<String, SessionState> young = new HashMap<>();
        Map<String, SessionState> old = new HashMap<>();

        int size() {
            return young.size() + old.size();
        }
    }

    private final Map<Integer, Generations> partitions = new HashMap<>();

    /** The session's state, or null when none is held for it. */
    SessionState get(int partition, String sessionId) {
        Generations g = partitions.get(partition);
        if (g == null) {
            return null;
        }
        SessionState young = g.young.get(sessionId);
        return young != null ? young : g.old.get(sessionId);
    }

    void put(int partition, String sessionId, SessionState state) {
        Generations g = partitions.computeIfAbsent(partition, p -> new Generations());
        g.young.put(sessionId, state);
        g.old.remove(sessionId);
    }

    void remove(int partition, String sessionId) {
        Generations g = partitions.get(partition);
        if (g != null) {
            g.young.remove(sessionId);
            g.old.remove(sessionId);
        }
    }

    /** Holds the partition, even with no session yet. */
    void hold(int partition) {
        partitions.computeIfAbsent(partition, p -> new Generations());
    }

    /** Drops every partition not in {@code keep}. */
    void retain(Collection<Integer> keep) {
        partitions.keySet().removeIf(p -> !keep.contains(p));
    }

    /** The sessions {@link #age} would drop from these partitions, without changing anything. */
    Map<Integer, List<String>> oldGeneration(Collection<Integer> of) {
        Map<Integer, List<String>> old = new HashMap<>();
        for (int p : of) {
            Generations g = partitions.get(p);
            if (g != null && !g.old.isEmpty()) {
                old.put(p, new ArrayList<>(g.old.keySet()));
            }
        }
        return old;
    }

    /** Drops the old generation of each of these partitions and makes the young one old. */
    void age(Collection<Integer> of) {
        for (int p : of) {
            Generations g = partitions.get(p);
            if (g != null) {
                g.old = g.young;
                g.young = new HashMap<>();
            }
        }
    }

    int size() {
        int n = 0;
        for (Generations g : partitions.values()) {
            n += g.size();
        }
        return n;
    }
}
