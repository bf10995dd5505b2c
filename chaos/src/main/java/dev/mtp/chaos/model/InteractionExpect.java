package dev.mtp.chaos.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One interaction as its last record (by offset) says, with the latest evaluation of it. */
public final class InteractionExpect {
    public final String interactionId;
    public String sessionId;
    public String role;
    public String request;
    public String response;
    public JsonNode context;
    public JsonNode metadata;
    public Long processingTimeMs;
    public String strategy;
    public long recordedAt;
    public String eventId;
    public long offset;
    /** Erased by its session's deletion: in no store. */
    public boolean erased;
    public JsonNode evaluationData;
    public Long evaluatedAt;
    public String lastEvaluationId;
    public long lastEvaluationOffset = -1;

    public InteractionExpect(String interactionId) {
        this.interactionId = interactionId;
    }
}
