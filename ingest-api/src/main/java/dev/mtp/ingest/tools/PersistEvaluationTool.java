package dev.mtp.ingest.tools;

import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.Requests;

import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** persist_evaluation: evaluation data of a session or an interaction, stored in MongoDB only. */
public final class PersistEvaluationTool implements Tool {
    private final PersistenceService service;
    private final Requests requests;
    private final InputLimits limits;

    public PersistEvaluationTool(PersistenceService service, Requests requests, InputLimits limits) {
        this.service = service;
        this.requests = requests;
        this.limits = limits;
    }

    @Override public String name() { return "persist_evaluation"; }

    @Override public String title() { return "Persist evaluation data"; }

    @Override
    public String description() {
        return "Store evaluation data (scores, sentiment, topics) of a session or an interaction. MongoDB only, never "
                + "cached in Redis; published on the evaluations topic, which analysts read without chat content. "
                + "entityType is session or interaction; an interaction's evaluation also needs its sessionId.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return object(List.of("entityId", "entityType", "evaluationData"), props(
                "entityId", id("The evaluated session or interaction."),
                "entityType", strings("What entityId names.", "session", "interaction"),
                "sessionId", id("The session of the evaluated interaction (required for interaction; for session, "
                        + "equal to entityId or absent)."),
                "evaluationData", userMap("The evaluation, e.g. {\"satisfaction_score\": 4.5, \"sentiment\": \"positive\"}; "
                        + "not empty.", limits)));
    }

    @Override
    public Map<String, Object> outputSchema() {
        return acknowledgement();
    }

    @Override
    public ToolResult call(Input arguments) {
        return Acknowledgements.of(service.persistEvaluation(requests.persistEvaluation(arguments)),
                Map.of("storage", "mongodb-only"));
    }
}
