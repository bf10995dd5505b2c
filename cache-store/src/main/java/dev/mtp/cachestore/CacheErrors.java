package dev.mtp.cachestore;

import dev.mtp.runtime.consume.ErrorClassifier;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;

import java.util.List;

/**
 * Which cache failures are worth retrying, decided in one place for every caller (the cache writers, the consume
 * loop, the shadow reconciler's port): the connection (down, closed, timed out) and Redis's own "not now" answers are
 * transient; anything else (a script error, a key of the wrong type, a value this layout cannot read) is a problem of
 * the data and will not go away by retrying.
 */
public final class CacheErrors implements ErrorClassifier {

    /** Stateless: the one every caller asks. */
    public static final CacheErrors CLASSIFIER = new CacheErrors();

    /** Error prefixes of replies that mean "try again later". */
    private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN",
            "MASTERDOWN", "READONLY", "OOM", "MOVED", "ASK", "NOREPLICAS", "UNBLOCKED");

    private CacheErrors() {}

    @Override
    public boolean isTransientCause(Throwable t) {
        if (t instanceof RedisCommandExecutionException e) {
            String message = String.valueOf(e.getMessage());
            return TRANSIENT_REPLIES.stream().anyMatch(message::startsWith);
        }
        // Connection-level: not connected, connection closed, command timed out, reconnect failed. I/O errors and
        // timeouts that are not Redis's own are transient for every store (ErrorClassifier).
        return t instanceof RedisException;
    }
}
