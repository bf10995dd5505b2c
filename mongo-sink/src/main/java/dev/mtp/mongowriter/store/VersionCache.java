package dev.mtp.mongowriter.store;

import dev.mtp.mongowriter.write.Known;
import dev.mtp.mongowriter.write.Target;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the writer last knew of recently written documents (least recently used out first), so that a CAS
 * usually expects the right version without reading. A wrong or missing entry costs one lost CAS and one read,
 * never a wrong write. Shared by the write threads (one partition group each), hence synchronized.
 */
final class VersionCache {
    private final Map<Key, Known> entries;

    VersionCache(int maxEntries) {
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Known> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The known state, or {@link Known#nothing()} (right for a new document) when not cached. */
    synchronized Known get(Target target, String id) {
        Known known = entries.get(new Key(target, id));
        return known != null ? known : Known.nothing();
    }

    /** The known state, or null when not cached (evicted, or never written nor read by this writer). */
    synchronized Known cached(Target target, String id) {
        return entries.get(new Key(target, id));
    }

    synchronized void put(Target target, String id, Known known) {
        entries.put(new Key(target, id), known);
    }

    synchronized void forget(Target target, String id) {
        entries.remove(new Key(target, id));
    }

    synchronized int size() {
        return entries.size();
    }

    /** A record, not a concatenated string: three lookups per event would otherwise copy the id three times. */
    private record Key(Target target, String id) {}
}
