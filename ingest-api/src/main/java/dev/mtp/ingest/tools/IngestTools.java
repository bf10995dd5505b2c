package dev.mtp.ingest.tools;

import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.Requests;
import dev.mtp.ingest.usage.UsageService;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ingest's tool set: the seed's eight tools in the seed's order (the two strategy optimization tools only when
 * usage is measured, app.usage.enabled), the read tools (only when reads are configured), and the hybrid sync
 * monitoring tools.
 */
public final class IngestTools {
    private IngestTools() {}

    public static ToolRegistry create(PersistenceService service, Requests requests, InputLimits limits,
                                      Optional<UsageService> usage) {
        List<Tool> tools = new ArrayList<>(List.of(
                new PersistSessionTool(service, requests, limits),
                new UpdateSessionTool(service, requests, limits),
                StrategyCatalogTool.sessions(requests.defaults()),
                new PersistInteractionTool(service, requests, limits),
                StrategyCatalogTool.interactions(requests.defaults()),
                new PersistEvaluationTool(service, requests, limits)));
        usage.ifPresent(u -> {
            tools.add(new RecommendationsTool(u));
            tools.add(new AnalyzePatternsTool(u));
        });
        if (service.readsAvailable()) {
            tools.add(GetEntityTool.session(service));
            tools.add(GetEntityTool.interaction(service));
        }
        tools.add(new SyncStatsTool(service.sync(), requests.defaults()));
        tools.add(new SyncLoadTool(service.sync()));
        return new ToolRegistry(tools);
    }
}
