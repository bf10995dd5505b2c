package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.ingest.application.Commands;
import dev.mtp.ingest.application.PersistenceService;

import java.util.Map;

/** persist_session: creates a session; cached in Redis per its strategy, complete in MongoDB. */
public final class PersistSessionTool implements Tool {
    private final PersistenceService service;
    private final SessionCacheStrategy defaultStrategy;

    public PersistSessionTool(PersistenceService service, SessionCacheStrategy defaultStrategy) {
        this.service = service;
        this.defaultStrategy = defaultStrategy;
    }

    @Override public String name() { return "persist_session"; }

    @Override
    public String description() {
        return "Create a chat session. Stored complete in MongoDB; cached in Redis as its cacheStrategy says: "
                + "CRITICAL_ONLY (1 h, status + ids + timestamps), WITH_CONTEXT (30 min, + context and interaction count), "
                + "FULL_SESSION (15 min, everything), NONE (MongoDB only). Default " + defaultStrategy + ".";
    }

    @Override
    public ToolResult call(ToolArguments arguments) {
        SessionCacheStrategy strategy = arguments.optionalParsed("cacheStrategy", SessionCacheStrategy::parse)
                .orElse(defaultStrategy);
        var command = new Commands.PersistSession(
                arguments.requiredId("sessionId"),
                arguments.requiredId("userId"),
                arguments.optionalString("status").orElse("active"),
                arguments.optionalMap("context").orElse(Map.of()),
                arguments.optionalMap("metadata").orElse(Map.of()),
                strategy);
        return Acknowledgements.of(service.persistSession(command), Map.of("cacheStrategy", strategy.name()));
    }
}
