package dev.mtp.ops.replay;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How far a replay got: per {@code topic/partition}, the next offset to replay and the offset it stops before, and
 * its running counts. Written only after everything before {@code next} went through the sink.
 *
 * @param job the sink, topics, range and filter: another replay's checkpoint is refused, not mixed in
 */
public record ReplayCheckpoint(String job, Map<String, Long> next, Map<String, Long> end, Map<String, Long> counters,
                               boolean complete, Instant savedAt) {

    public ReplayCheckpoint {
        Objects.requireNonNull(job, "job");
        next = Collections.unmodifiableMap(new TreeMap<>(next));
        end = Collections.unmodifiableMap(new TreeMap<>(end));
        counters = Collections.unmodifiableMap(new TreeMap<>(counters));
        Objects.requireNonNull(savedAt, "savedAt");
    }

    /** Events left: the sum over partitions of end minus next. */
    public long remaining() {
        return end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - next.getOrDefault(e.getKey(), 0L)))
                .sum();
    }
}
