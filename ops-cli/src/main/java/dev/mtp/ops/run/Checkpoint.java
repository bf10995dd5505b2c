package dev.mtp.ops.run;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a resumable command got to: which job (its identity, so that another job's checkpoint is never resumed),
 * the next offset and the end offset of each partition it reads, its counters, and whether it finished.
 *
 * @param job      what the command does, in words that change with any argument that changes the result
 * @param next     per partition, the first offset not yet done
 * @param end      per partition, the offset the job stops before, fixed by the first run
 * @param counters running totals (records written, bytes of output ...), carried over to the next run
 * @param complete the job finished: a second run has nothing to do
 */
public record Checkpoint(String job, Map<Integer, Long> next, Map<Integer, Long> end, Map<String, Long> counters,
                         boolean complete, Instant savedAt) {

    public Checkpoint {
        Objects.requireNonNull(job, "job");
        next = Collections.unmodifiableMap(new TreeMap<>(next));
        end = Collections.unmodifiableMap(new TreeMap<>(end));
        counters = Collections.unmodifiableMap(new TreeMap<>(counters));
        Objects.requireNonNull(savedAt, "savedAt");
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** Records left: the sum over partitions of end minus next. */
    public long remaining() {
        return end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - next.getOrDefault(e.getKey(), 0L)))
                .sum();
    }
}
