package dev.mtp.chaos.model;

import java.util.Map;

/** The stores' expected content: every session, interaction and evaluation the topics name, by id. */
public record Expected(Map<String, SessionExpect> sessions, Map<String, InteractionExpect> interactions,
                       Map<String, EvaluationExpect> evaluations, long records) {
}
