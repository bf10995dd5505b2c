package dev.mtp.runtime.consume;

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

    /** An event the store refused for a reason that retrying cannot fix. */
    record Rejected(SourcedEvent event, Throwable error) {}
}
