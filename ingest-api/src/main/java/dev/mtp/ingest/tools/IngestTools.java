package dev.mtp.ingest.tools;

import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.Requests;

import java.util.ArrayList;
import java.util.List;

/**
 * The ingest's tool set: the seed's six write and strategy tools in the seed's order, the read tools
 * (only when reads are configured), and the hybrid sync monitoring tools. The seed's two analysis
 * tools come with their own issue and are not listed until then.
 */
public final class IngestTools {
    private IngestTools() {}

    public static ToolRegistry create(PersistenceService service, Requests requests, InputLimits limits) {
        List<Tool> tools = new ArrayList<>(List.of(
                new PersistSessionTool(service, requests, limits),
                new UpdateSessionTool(service, requests, limits),
                StrategyCatalogTool.sessions(requests.defaults()),
                new PersistInteractionTool(service, requests, limits),
                StrategyCatalogTool.interactions(requests.defaults()),
                new PersistEvaluationTool(service, requests, limits)));
        if (service.readsAvailable()) {
            tools.add(GetEntityTool.session(service));
            tools.add(GetEntityTool.interaction(service));
        }
        tools.add(new SyncStatsTool(service.sync(), requests.defaults()));
        tools.add(new SyncLoadTool(service.sync()));
        return new ToolRegistry(tools);
    }
}
