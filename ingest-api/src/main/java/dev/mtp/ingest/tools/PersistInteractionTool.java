package dev.mtp.ingest.tools;

import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.Requests;

import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** persist_interaction: records one request/response turn of a session. */
public final class PersistInteractionTool implements Tool {
    static final String INTERACTION_STRATEGIES = "RESPONSE_ONLY (30 min TTL, ~500 B: response and timestamp; for quick "
            + "retrieval of recent responses), WITH_CONTEXT (15 min: + request and context; for active conversations "
            + "that need context), FULL_INTERACTION (5 min, ~2 KB: everything; for the interaction being processed), "
            + "NONE (not cached, MongoDB only; for historical interactions)";

    private final PersistenceService service;
    private final Requests requests;
    private final InputLimits limits;

    public PersistInteractionTool(PersistenceService service, Requests requests, InputLimits limits) {
        this.service = service;
        this.requests = requests;
        this.limits = limits;
    }

    @Override public String name() { return "persist_interaction"; }

    @Override public String title() { return "Persist an interaction"; }

    @Override
    public String description() {
        return "Store one interaction (a request/response turn) of a session. Stored complete in MongoDB; cached in "
                + "Redis as its cacheStrategy says: " + INTERACTION_STRATEGIES + ". Default " + requests.interactionDefault()
                + ". interactionId is generated when absent; request or response (or both) is required.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return object(List.of("sessionId", "role"), props(
                "interactionId", id("The interaction's id; generated (a UUID) when absent."),
                "sessionId", id("The session the interaction belongs to."),
                "role", string("Who produced the response, e.g. assistant, user, tool.", InteractionRecorded.MAX_ROLE_LENGTH),
                "request", text("The request text.", limits),
                "response", text("The response text.", limits),
                "context", userMap("Context of the turn, e.g. {\"intent\": \"product_info\"}.", limits),
                "metadata", userMap("Anything else about the turn, e.g. model, tokens.", limits),
                "processingTimeMs", integer("Time taken to produce the response, in ms.", 0, Requests.MAX_PROCESSING_TIME_MS),
                "cacheStrategy", enumOf(InteractionCacheStrategy.class, "How much of the interaction Redis keeps: "
                        + INTERACTION_STRATEGIES + ". Default " + requests.interactionDefault() + ".")));
    }

    @Override
    public Map<String, Object> outputSchema() {
        return acknowledgement();
    }

    @Override
    public ToolResult call(Input arguments) {
        return Acknowledgements.of(service.persistInteraction(requests.persistInteraction(arguments)), Map.of());
    }
}
