package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.strategy.StrategyDefaults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** get_session_cache_strategies and get_interaction_cache_strategies: the strategies, their TTLs and fields. */
public final class StrategyCatalogTool implements ReportTool {
    private final String name;
    private final String entity;
    private final String useCases;
    private final CacheStrategy<?>[] strategies;
    private final CacheStrategy<?> defaultStrategy;
    private final StrategyDefaults profile;

    private StrategyCatalogTool(String name, String entity, String useCases, CacheStrategy<?>[] strategies,
                                CacheStrategy<?> defaultStrategy, StrategyDefaults profile) {
        this.name = name;
        this.entity = entity;
        this.useCases = useCases;
        this.strategies = strategies;
        this.defaultStrategy = defaultStrategy;
        this.profile = profile;
    }

    public static StrategyCatalogTool sessions(StrategyDefaults defaults) {
        return new StrategyCatalogTool("get_session_cache_strategies", "session", PersistSessionTool.SESSION_STRATEGIES,
                SessionCacheStrategy.values(), defaults.session(), defaults);
    }

    public static StrategyCatalogTool interactions(StrategyDefaults defaults) {
        return new StrategyCatalogTool("get_interaction_cache_strategies", "interaction",
                PersistInteractionTool.INTERACTION_STRATEGIES, InteractionCacheStrategy.values(), defaults.interaction(),
                defaults);
    }

    @Override public String name() { return name; }

    @Override public String title() { return "List the " + entity + " cache strategies"; }

    @Override
    public String description() {
        return "List the " + entity + " cache strategies with their TTL, the fields each keeps in Redis and the target "
                + "size per key, and which one is the default (from the profile in force, app.profile, unless "
                + "app.persistence.default-* names one). In short: " + useCases + ".";
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> strategy = output(List.of("name", "fields", "targetBytes", "default"), props(
                "name", plain("string", "Strategy name, as cacheStrategy takes it."),
                "ttlSeconds", Map.of("type", "integer", "description", "Time to live in Redis; absent for NONE (not cached)."),
                "fields", Map.of("type", "array", "items", Map.of("type", "string"), "description", "Fields kept in Redis."),
                "targetBytes", plain("integer", "The seed's memory target per cached key, in bytes (0: not cached)."),
                "default", plain("boolean", "Used when a request names no strategy.")));
        return output(List.of("strategies", "default", "profile"), props(
                "strategies", Map.of("type", "array", "items", strategy),
                "default", plain("string", "The default strategy."),
                "profile", ProfileSchema.SCHEMA));
    }

    @Override
    public ToolResult report() {
        List<Map<String, Object>> list = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (CacheStrategy<?> strategy : strategies) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", strategy.name());
            entry.put("ttlSeconds", strategy.ttl().map(ttl -> ttl.toSeconds()).orElse(null));
            entry.put("fields", fieldNames(strategy));
            entry.put("targetBytes", strategy.targetBytes());
            entry.put("default", strategy == defaultStrategy);
            list.add(entry);
            text.append(strategy.name()).append(": ")
                    .append(strategy.ttl().map(ttl -> "TTL " + ttl.toMinutes() + " min, fields " + fieldNames(strategy))
                            .orElse("not cached (MongoDB only)"))
                    .append(strategy == defaultStrategy ? " (default)" : "")
                    .append('\n');
        }
        text.append("profile: ").append(profile.summary());
        return ToolResult.success(text.toString(),
                Map.of("strategies", list, "default", defaultStrategy.name(), "profile", profile.describe()));
    }

    private static List<String> fieldNames(CacheStrategy<?> strategy) {
        return strategy.fields().stream().map(field -> switch (field) {
            case SessionField f -> f.jsonName();
            case InteractionField f -> f.jsonName();
            default -> field.name();
        }).toList();
    }
}
