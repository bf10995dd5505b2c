package dev.mtp.ingest.tools;

import dev.mtp.common.event.EntityType;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.usage.UsageService;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mtp.ingest.tools.Schemas.*;

/** analyze_persistence_patterns: the seed's "Analyze current patterns and suggest optimizations", from measured usage. */
public final class AnalyzePatternsTool implements Tool {
    private final UsageService usage;

    public AnalyzePatternsTool(UsageService usage) {
        this.usage = usage;
    }

    public static final String NAME = "analyze_persistence_patterns";
    public static final Set<String> ARGUMENTS = Set.of("windowMinutes", "entityType");

    @Override public String name() { return NAME; }

    @Override public String title() { return "Analyze persistence patterns"; }

    @Override
    public String description() {
        return "Analyze measured usage over a window (default " + usage.defaultWindowMinutes() + " min, every ingest "
                + "instance): per entity type and strategy the write and read rates, hit ratio and p50/p99 read latency "
                + "by tier against the seed's latency table, keys and bytes per key against the seed's sizes, TTL "
                + "effectiveness (reads after expiry, keys expired unread), the seed's pattern type (High Frequency, "
                + "Real Time, Analytical, Archival) with its evidence, and findings along the seed's troubleshooting "
                + "tree (high memory use, poor hit rates, slow MongoDB queries, sync failures).";
    }

    @Override public boolean readOnly() { return true; }

    @Override
    public Map<String, Object> inputSchema() {
        return object(List.of(), props(
                "windowMinutes", integer("Minutes of usage to analyze, up to the store's retention.", 1,
                        usage.maxWindowMinutes()),
                "entityType", strings("Only this entity type's strategies.", "session", "interaction")));
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> anyObject = Map.of("type", "object");
        return output(List.of("window", "profile", "strategies", "patterns", "findings"), props(
                "window", plain("object", "minutes, coveredSeconds, instances, buckets, samplers"),
                "profile", ProfileSchema.SCHEMA,
                "strategies", Map.of("type", "array", "items", anyObject, "description", "One row per entity type and "
                        + "strategy: writes, reads, readOutcomes, hitRatio, latencyMs, seedLatency, keys, "
                        + "ttlEffectiveness, pattern."),
                "notFound", plain("object", "Reads that found nothing, by entity type."),
                "patterns", plain("object", "The seed's pattern type per entity type, with evidence."),
                "findings", Map.of("type", "array", "items", anyObject,
                        "description", "kind (HIGH_MEMORY_USE, POOR_HIT_RATE, SLOW_MONGODB_QUERIES, SYNC_FAILURES), "
                                + "where, detail, advice."),
                "keySpace", plain("object", "How much of the key space was scanned.")));
    }

    @Override
    public ToolResult call(Input arguments) {
        arguments.allowOnly(ARGUMENTS);
        int window = UsageArguments.window(arguments, usage);
        EntityType only = UsageArguments.entityType(arguments);
        Map<String, Object> report = usage.analyze(window);
        if (only != null) {
            report = UsageArguments.onlyEntity(report, only);
        }
        return ToolResult.success(UsageArguments.summary(report), report);
    }
}
