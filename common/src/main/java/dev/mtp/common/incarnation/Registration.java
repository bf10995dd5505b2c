package dev.mtp.common.incarnation;

import dev.mtp.common.version.Incarnation;

import java.time.Instant;
import java.util.Objects;

/**
 * Which incarnation of a topic feeds a store, as the store records it (docs/decisions/0012): the topic's incarnation,
 * the id of the Kafka cluster it lives on, when it was registered and by which app.
 */
public record Registration(Incarnation incarnation, String clusterId, Instant since, String app) {

    public Registration {
        Objects.requireNonNull(incarnation, "incarnation");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(app, "app");
    }

    /** {@code incarnation AbCdEfGh of cluster q1w2e3 (registered by cache-writer at 2026-12-07T00:00:00Z)} */
    public String describe() {
        return "incarnation " + incarnation + " of cluster " + clusterId + " (registered by " + app + " at " + since + ")";
    }
}
