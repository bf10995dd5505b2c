package dev.mtp.common.event;

/**
 * A session ended: its status becomes "closed" and it is kept in MongoDB. Its cache entries keep
 * their strategy and expire on their TTL.
 */
public record SessionClosed(String reason) implements EventPayload {
    public static final String CLOSED_STATUS = "closed";
}
