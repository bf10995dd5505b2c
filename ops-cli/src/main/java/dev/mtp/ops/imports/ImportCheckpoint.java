package dev.mtp.ops.imports;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How far an import got. Written only after everything published before it was acknowledged, so the events of every
 * record before {@code positions} are on the topics below {@code offsets}, and those of later records (a run stopped
 * with sends in flight) above them: a resumed run looks for its own events from {@code offsets} on.
 *
 * @param job       the sources, mapping and strategies: another job's checkpoint is refused, not mixed in
 * @param positions per kind ({@link EntityKind#cliName()}), the position in its source after the last record handled;
 *                  absent: not started
 * @param finished  per kind, whether its source was read to the end
 * @param offsets   per {@code topic/partition} of the event topics, the end offset when the checkpoint was written
 * @param counters  running totals per {@code <kind>.<what>}: read, published, already, rejected
 * @param rejectBytes the length of the reject file at the checkpoint (a resumed run cuts off what came after)
 * @param complete  every source was read to the end
 */
public record ImportCheckpoint(String job, Map<String, String> positions, Map<String, Boolean> finished,
                               Map<String, Long> offsets, Map<String, Long> counters, long rejectBytes,
                               boolean complete, Instant savedAt) {

    public ImportCheckpoint {
        Objects.requireNonNull(job, "job");
        positions = Collections.unmodifiableMap(new TreeMap<>(positions));
        finished = Collections.unmodifiableMap(new TreeMap<>(finished));
        offsets = Collections.unmodifiableMap(new TreeMap<>(offsets));
        counters = Collections.unmodifiableMap(new TreeMap<>(counters));
        Objects.requireNonNull(savedAt, "savedAt");
    }

    public long counter(EntityKind kind, String what) {
        return counters.getOrDefault(kind.cliName() + "." + what, 0L);
    }

    public boolean finished(EntityKind kind) {
        return finished.getOrDefault(kind.cliName(), false);
    }
}
