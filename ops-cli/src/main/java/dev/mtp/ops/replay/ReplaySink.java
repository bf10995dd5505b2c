package dev.mtp.ops.replay;

import dev.mtp.common.event.TopicRole;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One store's writer, as its app writes it: the same guarded writes, so replaying any range is idempotent and never
 * takes the store back to older state.
 */
public interface ReplaySink extends AutoCloseable {

    /** The topics the app consumes. */
    Set<TopicRole> topics();

    /** Writes a batch through the app's guarded writes; what each event's write did, counted. */
    Map<Outcome, Long> write(List<SourcedEvent> batch) throws Exception;

    /** What writing the batch would do, from the versions the store holds; writes nothing. */
    Map<Outcome, Long> judge(List<SourcedEvent> batch) throws Exception;

    /** Makes anything held back durable (the end of a run, or before a checkpoint). */
    default void flush() throws Exception {
    }

    @Override
    void close() throws Exception;
}
