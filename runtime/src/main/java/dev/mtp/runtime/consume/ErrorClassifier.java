package dev.mtp.runtime.consume;

import org.apache.kafka.common.errors.RetriableException;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether a store's failure is worth retrying. Each store has one implementation (cache-store's
 * {@code CacheErrors}, mongo-sink's {@code MongoErrors}) that its writer and the consume loop both ask, so the two
 * cannot disagree. The cause chain is walked here, once; a store only says which single throwables are transient.
 * Transient failures are retried with backoff for as long as they last; any other failure stops the app rather than
 * skipping data.
 */
@FunctionalInterface
public interface ErrorClassifier {

    /** Whether this one throwable (not its causes) marks a transient failure of the store. */
    boolean isTransientCause(Throwable cause);

    /**
     * Whether any cause in the chain is transient: I/O and timeouts of any store, Kafka's retriable errors (a writer's
     * own topics, such as cache-writer's session states), or what the store says.
     */
    default boolean isTransient(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof RetriableException
                    || isTransientCause(t)) {
                return true;
            }
        }
        return false;
    }
}
