package dev.mtp.runtime.consume;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;

/**
 * A store's side of the consume loop: writes one poll's decoded events durably.
 *
 * <ul>
 *   <li>Return normally only when every event not listed as rejected is durable in the store, or held back
 *       (see below); the loop then dead-letters the rejected ones and commits the offsets.</li>
 *   <li>Reject an event (data error: the store refuses it, e.g. a document too large) to send it to the
 *       dead-letter topic; the rest of the batch still lands.</li>
 *   <li>Throw for a failure of the store itself; the {@link ErrorClassifier} decides whether the whole
 *       batch is retried (transient) or the app stops (fatal). Writes must be idempotent and version-guarded,
 *       since a retried batch may be partly applied already.</li>
 * </ul>
 *
 * <p>A writer may hold back part of a batch's effect to coalesce it with later batches (Kafka Streams' record
 * cache and commit interval): while {@link #pending()} is above zero the loop commits no offset; it calls
 * {@link #flush()} when {@link #flushDue()} says so, when a poll comes back empty, before partitions are revoked
 * and before it stops, and commits every offset read so far only after the flush returned. A crash before that
 * commit redelivers everything since the last one, so held-back work is lost only in the way an uncommitted batch
 * is: it is written again. Writers that hold nothing back (the default) are committed after every batch.
 */
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

    /** How much written work is held back and not durable yet (0: everything {@link #write} returned is durable). */
    default int pending() {
        return 0;
    }

    /** True when the held-back work should be flushed now (its window is full or old enough). */
    default boolean flushDue() {
        return true;
    }

    /**
     * Makes every held-back effect durable; throws like {@link #write} (a transient failure is retried with
     * backoff, so it must be idempotent). Throws {@link RedeliverException} when the store refused part of it for
     * a data reason: the writer has then dropped all held-back work, and the loop re-reads everything since its
     * last commit, so that those records reach {@link #write} again and can be rejected one by one.
     */
    default void flush() throws Exception {
    }

    /**
     * Drops the held-back work of partitions this member no longer owns without flushing it (lost in a rebalance,
     * or a flush on revocation failed); their records are redelivered to their next owner from the last commit.
     */
    default void dropPending(Collection<TopicPartition> partitions) {
    }

    /** An event the store refused for a reason that retrying cannot fix. */
    record Rejected(SourcedEvent event, Throwable error) {}

    /**
     * Thrown by {@link #write} or {@link #flush} when held-back work cannot be made durable as it is (the store
     * refused a coalesced write for a data reason). The writer has dropped all held-back work; the loop rewinds
     * every partition to its last committed offset and reads on from there, and commits nothing before.
     */
    final class RedeliverException extends Exception {
        public RedeliverException(String message) {
            super(message);
        }
    }
}
