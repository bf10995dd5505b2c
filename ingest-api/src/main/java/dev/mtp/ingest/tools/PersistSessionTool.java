package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.Requests;

import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** persist_session: creates a session; cached in Redis per its strategy, complete in MongoDB. */
public final class PersistSessionTool implements Tool {
    static final String SESSION_STRATEGIES = "CRITICAL_ONLY (1 h TTL, ~200 B: status, ids, timestamps; for fast status "
            + "checks of active sessions), WITH_CONTEXT (30 min, ~800 B: + context and interaction count; for active "
            + "conversations that read their context often), FULL_SESSION (15 min, ~1.5 KB: everything; for highly active "
            + "sessions), NONE (not cached, MongoDB only; for archival or completed sessions)";

    private final PersistenceService service;
    private final Requests requests;
    private final InputLimits limits;

    public PersistSessionTool(PersistenceService service, Requests requests, InputLimits limits) {
        this.service = service;
        this.requests = requests;
        this.limits = limits;
    }

    @Override public String name() { return "persist_session"; }

    @Override public String title() { return "Persist a chat session"; }

    @Override
    public String description() {
        return "Create a chat session. It is stored complete in MongoDB and cached in Redis as its cacheStrategy says: "
                + SESSION_STRATEGIES + ". Default " + requests.sessionDefault() + ". Answers once Kafka acknowledged "
                + "the event, with its topic, partition and offset; the stores are written behind.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return object(List.of("sessionId", "userId"), props(
                "sessionId", id("The session's id."),
                "userId", id("The user the session belongs to."),
                "status", string("Free-form status word, e.g. active, idle. Default active.", Requests.MAX_STATUS_CHARS),
                "context", userMap("What the conversation is about, e.g. {\"currentTopic\": \"product_inquiry\"}.", limits),
                "metadata", userMap("Anything else about the session, e.g. {\"source\": \"web_chat\"}.", limits),
                "cacheStrategy", enumOf(SessionCacheStrategy.class, "How much of the session Redis keeps: "
                        + SESSION_STRATEGIES + ". Default " + requests.sessionDefault() + ".")));
    }

    @Override
    public Map<String, Object> outputSchema() {
        return acknowledgement();
    }

    @Override
    public ToolResult call(Input arguments) {
        var command = requests.persistSession(arguments);
        return Acknowledgements.of(service.persistSession(command), Map.of());
    }
}
