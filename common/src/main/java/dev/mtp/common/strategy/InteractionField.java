package dev.mtp.common.strategy;

/** The fields of an interaction that a strategy may cache, with their names in the cached value. */
public enum InteractionField {
    INTERACTION_ID("interactionId"),
    SESSION_ID("sessionId"),
    RESPONSE("response"),
    RECORDED_AT("recordedAt"),
    REQUEST("request"),
    CONTEXT("context"),
    ROLE("role"),
    METADATA("metadata"),
    PROCESSING_TIME_MS("processingTimeMs"),
    CACHE_STRATEGY("cacheStrategy");

    private final String jsonName;

    InteractionField(String jsonName) { this.jsonName = jsonName; }

    public String jsonName() { return jsonName; }
}
