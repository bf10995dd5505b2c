package dev.mtp.chaos.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One interaction as its last record (by offset) says, with the latest evaluation of it. An interaction evaluated but
 * never recorded (its recording refused or never sent) still has a document: the evaluation's fields only.
 */
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
    /** Whether an {@code interaction.recorded} names it; {@link #offset} is -1 until one does. */
    public boolean recorded;
    public long offset = -1;
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
