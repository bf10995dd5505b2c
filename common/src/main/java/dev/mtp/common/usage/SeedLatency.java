package dev.mtp.common.usage;

import dev.mtp.common.event.EntityType;

/** The seed's "Access Pattern Performance" table: what each kind of operation should take. */
public enum SeedLatency {
    SESSION_STATUS_CHECK("session status check", "Redis hit", 1, 2),
    FULL_SESSION_RETRIEVAL("full session retrieval", "Redis + MongoDB", 12, 18),
    INTERACTION_RESPONSE("interaction response", "Redis hit", 1, 2),
    COMPLEX_QUERY("complex query", "MongoDB query", 50, 100),
    EVALUATION_STORAGE("evaluation storage", "MongoDB only", 15, 25);

    private final String operation;
    private final String path;
    private final int minMs;
    private final int maxMs;

    SeedLatency(String operation, String path, int minMs, int maxMs) {
        this.operation = operation;
        this.path = path;
        this.minMs = minMs;
        this.maxMs = maxMs;
    }

    public String operation() { return operation; }
    public String path() { return path; }
    public int minMs() { return minMs; }
    public int maxMs() { return maxMs; }
    public double midMs() { return (minMs + maxMs) / 2.0; }

    /** e.g. "1-2 ms (Redis hit)" */
    public String range() { return minMs + "-" + maxMs + " ms (" + path + ")"; }

    /** A read answered by Redis: the seed's 1-2 ms rows. */
    public static SeedLatency redisHit(EntityType entity) {
        return entity == EntityType.SESSION ? SESSION_STATUS_CHECK : INTERACTION_RESPONSE;
    }
}
