package dev.mtp.common.event;

/**
 * A session is erased from every tier (for instance on a user's deletion request): its cache keys,
 * its session document, its interactions and their evaluations. Later events of the session
 * recreate nothing older than this event.
 */
public record SessionDeleted(String reason) implements EventPayload {
}
