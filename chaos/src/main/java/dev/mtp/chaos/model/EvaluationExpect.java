package dev.mtp.chaos.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One evaluation: immutable, its document's id is its event id. */
public record EvaluationExpect(String id, String sessionId, String entityId, String entityType, JsonNode evaluationData,
                               long evaluatedAt, String producer, long offset, boolean erased) {
}
