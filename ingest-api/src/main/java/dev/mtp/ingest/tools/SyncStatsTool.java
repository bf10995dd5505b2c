package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.ingest.application.sync.AdaptiveSync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** get_sync_stats: how writes reached the stores since start (seed: Hybrid Sync Service, sync health). */
public final class SyncStatsTool implements ReportTool {
    private final AdaptiveSync sync;
    private final StrategyDefaults profile;

    public SyncStatsTool(AdaptiveSync sync, StrategyDefaults profile) {
        this.sync = sync;
        this.profile = profile;
    }

    @Override public String name() { return "get_sync_stats"; }

    @Override public String title() { return "Hybrid sync statistics"; }

    @Override
    public String description() {
        return "Counters of the hybrid (adaptive) sync since this instance started: writes also put in Redis directly "
                + "after the Kafka ack (hybridDirect), and writes left to the event path because of high load, a slow or "
                + "failed direct write, a strategy that caches nothing (NONE, evaluations) or no fast path configured. "
                + "Every write goes through Kafka either way; these say how soon Redis saw it. Also the profile in force "
                + "(app.profile) with the default strategies it gives.";
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> count = Map.of("type", "integer", "minimum", 0);
        return output(List.of("fastPathAvailable", "hybridDirect", "eventOnlyHighLoad", "profile"), props(
                "fastPathAvailable", plain("boolean", "Whether the direct Redis write is configured."),
                "hybridDirect", count,
                "hybridDirectAlreadyCurrent", count,
                "eventOnlyHighLoad", count,
                "eventOnlyTimedOut", count,
                "eventOnlyFailed", count,
                "eventOnlyNotCached", count,
                "eventOnlyFastPathOff", count,
                "directWriteAvgMs", plain("number", "Mean time of a direct Redis write."),
                "directWriteMaxMs", plain("number", "Longest direct Redis write."),
                "asyncTimeoutMs", plain("integer", "app.sync.async-timeout-ms"),
                "maxAsyncThreads", plain("integer", "app.sync.max-async-threads"),
                "profile", ProfileSchema.SCHEMA));
    }

    @Override
    public ToolResult report() {
        Map<String, Object> stats = new LinkedHashMap<>(sync.stats());
        stats.put("profile", profile.describe());
        return ToolResult.success("hybrid sync: " + sync.stats() + "; profile " + profile.summary(), stats);
    }
}
