package dev.mtp.cachestore;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Which cache failures are worth retrying, decided in one place for every caller: the connection (down, closed,
 * timed out) and Redis's own "not now" answers are transient; anything else (a script error, a key of the wrong type,
 * a value this layout cannot read) is a problem of the data and will not go away by retrying.
 */
public final class CacheErrors {

    /** Error prefixes of replies that mean "try again later". */
    private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN",
            "MASTERDOWN", "READONLY", "OOM", "MOVED", "ASK", "NOREPLICAS", "UNBLOCKED");

    private CacheErrors() {}

    public static boolean isTransient(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (isTransientCause(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this one throwable, not its causes, marks a transient failure. */
    public static boolean isTransientCause(Throwable t) {
        if (t instanceof RedisCommandExecutionException e) {
            String message = String.valueOf(e.getMessage());
            return TRANSIENT_REPLIES.stream().anyMatch(message::startsWith);
        }
        // Connection-level: not connected, connection closed, command timed out, reconnect failed.
        return t instanceof RedisException || t instanceof IOException || t instanceof TimeoutException;
    }
}
