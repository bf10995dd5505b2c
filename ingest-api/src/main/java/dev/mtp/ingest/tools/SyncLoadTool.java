package dev.mtp.ingest.tools;

import dev.mtp.ingest.application.sync.AdaptiveSync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** check_sync_load: the load the adaptive sync decides on, now. */
public final class SyncLoadTool implements ReportTool {
    private final AdaptiveSync sync;

    public SyncLoadTool(AdaptiveSync sync) {
        this.sync = sync;
    }

    @Override public String name() { return "check_sync_load"; }

    @Override public String title() { return "Check the sync load"; }

    @Override
    public String description() {
        return "The load the adaptive sync decides on, now: the direct-write pool (busy threads of "
                + "app.sync.max-async-threads, queued writes) and the publish backlog (sends Kafka has not acknowledged "
                + "yet). HIGH means new writes skip the direct Redis write and go by the event path only.";
    }

    @Override
    public Map<String, Object> outputSchema() {
        return output(List.of("level", "high", "reason"), props(
                "level", strings("NORMAL, ELEVATED (pool busy or backlog above half its bound) or HIGH.", "NORMAL", "ELEVATED", "HIGH"),
                "high", plain("boolean", "Whether writes now skip the direct Redis write."),
                "activeThreads", plain("integer", "Busy direct-write threads."),
                "maxThreads", plain("integer", "app.sync.max-async-threads"),
                "queued", plain("integer", "Direct writes waiting for a thread."),
                "maxQueued", plain("integer", "app.sync.max-queued-writes"),
                "publishBacklog", plain("integer", "Sends not yet acknowledged by Kafka."),
                "maxPublishBacklog", plain("integer", "app.sync.max-publish-backlog"),
                "fastPathAvailable", plain("boolean", "Whether the direct Redis write is configured."),
                "reason", plain("string", "Why the level is what it is.")));
    }

    @Override
    public ToolResult report() {
        AdaptiveSync.Load load = sync.load();
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("level", load.level());
        structured.put("high", load.high());
        structured.put("activeThreads", load.activeThreads());
        structured.put("maxThreads", load.maxThreads());
        structured.put("queued", load.queued());
        structured.put("maxQueued", load.maxQueued());
        structured.put("publishBacklog", load.publishBacklog());
        structured.put("maxPublishBacklog", load.maxPublishBacklog());
        structured.put("fastPathAvailable", sync.fastPathAvailable());
        structured.put("reason", load.reason());
        return ToolResult.success("load " + load.level() + ": " + load.reason(), structured);
    }
}
