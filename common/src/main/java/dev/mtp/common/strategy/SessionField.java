package dev.mtp.common.strategy;

/** The fields of a session that a strategy may cache, with their names in the cached value. */
public enum SessionField {
    SESSION_ID("sessionId"),
    USER_ID("userId"),
    STATUS("status"),
    CREATED_AT("createdAt"),
    UPDATED_AT("updatedAt"),
    LAST_ACTIVITY_AT("lastActivityAt"),
    CONTEXT("context"),
    INTERACTION_COUNT("interactionCount"),
    METADATA("metadata"),
    LAST_INTERACTION_ID("lastInteractionId"),
    CACHE_STRATEGY("cacheStrategy");

    private final String jsonName;

    SessionField(String jsonName) { this.jsonName = jsonName; }

    public String jsonName() { return jsonName; }
}
