package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.ingest.application.Commands;
import dev.mtp.ingest.application.PersistenceService;

import java.util.Map;

/** update_session: a partial update; absent fields stay as they are. */
public final class UpdateSessionTool implements Tool {
    private final PersistenceService service;

    public UpdateSessionTool(PersistenceService service) {
        this.service = service;
    }

    @Override public String name() { return "update_session"; }

    @Override
    public String description() {
        return "Update an existing session. Only the fields given change: status and userId are replaced, context "
                + "and metadata merge key by key (a key set to null is removed), cacheStrategy reshapes the cached copy.";
    }

    @Override
    public ToolResult call(ToolArguments arguments) {
        var command = new Commands.UpdateSession(
                arguments.requiredId("sessionId"),
                arguments.optionalId("userId").orElse(null),
                arguments.optionalString("status").orElse(null),
                arguments.optionalMap("context").orElse(null),
                arguments.optionalMap("metadata").orElse(null),
                arguments.optionalParsed("cacheStrategy", SessionCacheStrategy::parse).orElse(null));
        if (command.userId() == null && command.status() == null && command.context() == null
                && command.metadata() == null && command.cacheStrategy() == null) {
            throw new InvalidArgumentException("arguments",
                    "give at least one of userId, status, context, metadata, cacheStrategy");
        }
        return Acknowledgements.of(service.updateSession(command), Map.of());
    }
}
