package dev.mtp.mongowriter.store;

import dev.mtp.mongowriter.write.Skipped;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the writes of one partition group (one batch, or one flush) found, by record identity: a record's hashCode
 * would hash the whole envelope (payload, maps) on every lookup.
 */
final class GroupResults {
    final Map<SourcedEvent, Throwable> rejected = new IdentityHashMap<>();
    /** Each skipped record once, with the strongest reason any of its writes found (erased, stale, duplicate). */
    final Map<SourcedEvent, Skipped> skipped = new IdentityHashMap<>();
    /** Evaluation events whose evaluation document holds them: inserted now, or by the same event before. */
    final Set<SourcedEvent> evaluationsCreated = Collections.newSetFromMap(new IdentityHashMap<>());

    void skip(Skipped skip) {
        skipped.merge(skip.event(), skip, (a, b) -> b.reason().compareTo(a.reason()) > 0 ? b : a);
    }
}
