package dev.mtp.runtime.consume;

import org.apache.kafka.common.errors.RetriableException;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Decides, in one place per store, whether a failure is worth retrying: it walks the cause chain
 * and asks each cause. Transient failures are retried with backoff for as long as they last; any
 * other failure stops the app rather than skipping data.
 */
@FunctionalInterface
public interface ErrorClassifier {

    /** Whether this one throwable (not its causes) marks a transient failure. */
    boolean isTransientCause(Throwable cause);

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
