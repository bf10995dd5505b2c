package dev.mtp.ops.dlq;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Dead letters grouped by app, reason and source topic, with counts, time range and the latest of each. Pure. */
public final class LetterGroups {

    /** The key letters are grouped by. */
    public record Key(String app, String reason, String sourceTopic) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::app).thenComparing(Key::reason)
                .thenComparing(Key::sourceTopic);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    /**
     * One group: how many, first and last failure, the latest letter (its coordinates and message), and how many of
     * its letters {@code dlq redrive} applied (or found applied already).
     */
    public record Group(Key key, long count, Instant first, Instant last, DeadLetter latest, long redriven) {}

    private final Map<Key, Group> groups = new TreeMap<>();
    private final Map<Key, Set<String>> redriven = new HashMap<>();
    private long letters;

    /** A dead letter, or the record of a redrive of one (which counts towards its letter's group as redriven). */
    public void add(DeadLetter letter) {
        Key key = new Key(letter.app(), letter.reason(), letter.sourceTopic());
        if (letter.isRedrive()) {
            redriven.computeIfAbsent(key, k -> new HashSet<>()).add(letter.redriveOf());
            return;
        }
        letters++;
        groups.merge(key, new Group(key, 1, letter.failedAt(), letter.failedAt(), letter, 0), (a, b) -> new Group(key,
                a.count() + 1, min(a.first(), b.first()), max(a.last(), b.last()),
                b.latest().failedAt().isBefore(a.latest().failedAt()) ? a.latest() : b.latest(), 0));
    }

    public List<Group> groups() {
        return groups.values().stream().map(g -> new Group(g.key(), g.count(), g.first(), g.last(), g.latest(),
                redriven.getOrDefault(g.key(), Set.of()).size())).toList();
    }

    public long letters() {
        return letters;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
