package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.ingest.application.PersistenceService;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The ingest's tool set, in the order the seed lists them. */
public final class IngestTools {
    private IngestTools() {}

    public static ToolRegistry create(PersistenceService service, SessionCacheStrategy sessionDefault,
                                      InteractionCacheStrategy interactionDefault, Supplier<UUID> ids) {
        return new ToolRegistry(List.of(
                new PersistSessionTool(service, sessionDefault),
                new UpdateSessionTool(service),
                StrategyCatalogTool.sessions(sessionDefault),
                new PersistInteractionTool(service, interactionDefault, ids),
                StrategyCatalogTool.interactions(interactionDefault),
                new PersistEvaluationTool(service)));
    }
}
