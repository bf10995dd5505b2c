package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.ingest.application.Commands;
import dev.mtp.ingest.application.PersistenceService;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** persist_interaction: records one request/response turn of a session. */
public final class PersistInteractionTool implements Tool {
    private final PersistenceService service;
    private final InteractionCacheStrategy defaultStrategy;
    private final Supplier<UUID> ids;

    public PersistInteractionTool(PersistenceService service, InteractionCacheStrategy defaultStrategy, Supplier<UUID> ids) {
        this.service = service;
        this.defaultStrategy = defaultStrategy;
        this.ids = ids;
    }

    @Override public String name() { return "persist_interaction"; }

    @Override
    public String description() {
        return "Store one interaction (request/response turn) of a session. Stored complete in MongoDB; cached in Redis "
                + "as its cacheStrategy says: RESPONSE_ONLY (30 min, response + timestamp), WITH_CONTEXT (15 min, + request "
                + "and context), FULL_INTERACTION (5 min, everything), NONE (MongoDB only). Default " + defaultStrategy
                + ". interactionId is generated when absent.";
    }

    @Override
    public ToolResult call(ToolArguments arguments) {
        InteractionCacheStrategy strategy = arguments.optionalParsed("cacheStrategy", InteractionCacheStrategy::parse)
                .orElse(defaultStrategy);
        String request = arguments.optionalString("request").orElse(null);
        String response = arguments.optionalString("response").orElse(null);
        if (request == null && response == null) {
            throw new InvalidArgumentException("response", "request or response is required");
        }
        String role = arguments.optionalString("role")
                .orElseThrow(() -> new InvalidArgumentException("role", "is required"));
        Long processingTimeMs = arguments.optionalLong("processingTimeMs").orElse(null);
        if (processingTimeMs != null && processingTimeMs < 0) {
            throw new InvalidArgumentException("processingTimeMs", "must be >= 0");
        }
        var command = new Commands.PersistInteraction(
                arguments.optionalId("interactionId").orElseGet(() -> ids.get().toString()),
                arguments.requiredId("sessionId"),
                role,
                request,
                response,
                arguments.optionalMap("context").orElse(Map.of()),
                arguments.optionalMap("metadata").orElse(Map.of()),
                processingTimeMs,
                strategy);
        return Acknowledgements.of(service.persistInteraction(command), Map.of("cacheStrategy", strategy.name()));
    }
}
