package dev.mtp.ingest.application.read;

import java.time.Duration;

/**
 * No tier held the entity at the version asked for within {@code app.read.wait-ms}: the writers are behind. The
 * caller gets 503 with Retry-After (a tool error over MCP), never older state (docs/decisions/0022).
 */
public final class NotVisibleYetException extends RuntimeException {
    public NotVisibleYetException(String what, EntityVersion floor, Duration waited) {
        super(what + " at version " + floor + " is not in Redis or MongoDB yet (waited " + waited.toMillis()
                + " ms for the writers behind Kafka); retry shortly");
    }
}
