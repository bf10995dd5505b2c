package dev.mtp.ops.dlq;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

    /** One group: how many, first and last failure, and the latest letter (its coordinates and message). */
    public record Group(Key key, long count, Instant first, Instant last, DeadLetter latest) {}

    private final Map<Key, Group> groups = new TreeMap<>();
    private long letters;

    public void add(DeadLetter letter) {
        letters++;
        Key key = new Key(letter.app(), letter.reason(), letter.sourceTopic());
        groups.merge(key, new Group(key, 1, letter.failedAt(), letter.failedAt(), letter), (a, b) -> new Group(key,
                a.count() + 1, min(a.first(), b.first()), max(a.last(), b.last()),
                b.latest().failedAt().isBefore(a.latest().failedAt()) ? a.latest() : b.latest()));
    }

    public List<Group> groups() {
        return List.copyOf(groups.values());
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
