package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.Requests;

import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** update_session: a partial update; absent fields stay as they are. */
public final class UpdateSessionTool implements Tool {
    private final PersistenceService service;
    private final Requests requests;
    private final InputLimits limits;

    public UpdateSessionTool(PersistenceService service, Requests requests, InputLimits limits) {
        this.service = service;
        this.requests = requests;
        this.limits = limits;
    }

    @Override public String name() { return "update_session"; }

    @Override public String title() { return "Update a chat session"; }

    @Override
    public String description() {
        return "Update a session. Only the fields given change: userId and status are replaced; context and metadata "
                + "merge key by key at the top level (a key set to null is removed); cacheStrategy reshapes what Redis "
                + "keeps (" + PersistSessionTool.SESSION_STRATEGIES + "). Safe right after persist_session: a session's "
                + "events are ordered, so the update applies after the create even if the stores have not caught up.";
    }

    @Override
    public Map<String, Object> inputSchema() {
        return object(List.of("sessionId"), props(
                "sessionId", id("The session to update."),
                "userId", id("New user id."),
                "status", string("New status word, e.g. idle, closed.", Requests.MAX_STATUS_CHARS),
                "context", userMap("Keys to set (null removes a key).", limits),
                "metadata", userMap("Keys to set (null removes a key).", limits),
                "cacheStrategy", enumOf(SessionCacheStrategy.class, "New cache strategy; absent keeps the current one.")));
    }

    @Override
    public Map<String, Object> outputSchema() {
        return acknowledgement();
    }

    @Override
    public ToolResult call(Input arguments) {
        return Acknowledgements.of(service.updateSession(requests.updateSession(arguments, null)), Map.of());
    }
}
