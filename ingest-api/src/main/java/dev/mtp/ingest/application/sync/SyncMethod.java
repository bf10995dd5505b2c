package dev.mtp.ingest.application.sync;

/** How an acknowledged write reaches the stores (seed: Hybrid Sync Service, adaptiveSync). */
public enum SyncMethod {
    /** Written to Redis directly after the Kafka ack (version-guarded), and through the event path to every store. */
    HYBRID_DIRECT("hybrid-direct"),
    /** Through the event path only: cache-writer and mongo-writer apply it from Kafka. */
    KAFKA_EVENT("kafka-event");

    private final String wireName;

    SyncMethod(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }
}
