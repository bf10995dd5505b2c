package dev.mtp.runtime.consume;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;

/**
 * A store's side of the consume loop: writes one poll's decoded events durably.
 *
 * <ul>
 *   <li>Return normally only when every event not listed as rejected is durable in the store; the loop
 *       then dead-letters the rejected ones and commits the offsets.</li>
 *   <li>Reject an event (data error: the store refuses it, e.g. a document too large) to send it to the
 *       dead-letter topic; the rest of the batch still lands.</li>
 *   <li>Throw for a failure of the store itself; the {@link ErrorClassifier} decides whether the whole
 *       batch is retried (transient) or the app stops (fatal). Writes must be idempotent and version-guarded,
 *       since a retried batch may be partly applied already.</li>
 * </ul>
 */
@FunctionalInterface
public interface BatchWriter {

    List<Rejected> write(List<SourcedEvent> batch) throws Exception;

    /**
     * Partitions were assigned to this member; called on the loop's thread, inside {@code poll}, before any of their
     * records reach {@link #write}. A writer that keeps state per partition loads it here; throwing stops the app
     * (the records would otherwise be written without their state).
     */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) throws Exception {
    }

    /** Partitions were revoked from (or lost by) this member; called on the loop's thread, inside {@code poll}. */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /** An event the store refused for a reason that retrying cannot fix. */
    record Rejected(SourcedEvent event, Throwable error) {}
}
