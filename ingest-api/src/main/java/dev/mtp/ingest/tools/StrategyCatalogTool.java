package dev.mtp.ingest.tools;

import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** get_session_cache_strategies and get_interaction_cache_strategies: the strategies, their TTLs and fields. */
public final class StrategyCatalogTool implements Tool {
    private final String name;
    private final String entity;
    private final CacheStrategy<?>[] strategies;
    private final CacheStrategy<?> defaultStrategy;

    private StrategyCatalogTool(String name, String entity, CacheStrategy<?>[] strategies, CacheStrategy<?> defaultStrategy) {
        this.name = name;
        this.entity = entity;
        this.strategies = strategies;
        this.defaultStrategy = defaultStrategy;
    }

    public static StrategyCatalogTool sessions(SessionCacheStrategy defaultStrategy) {
        return new StrategyCatalogTool("get_session_cache_strategies", "session", SessionCacheStrategy.values(), defaultStrategy);
    }

    public static StrategyCatalogTool interactions(InteractionCacheStrategy defaultStrategy) {
        return new StrategyCatalogTool("get_interaction_cache_strategies", "interaction",
                InteractionCacheStrategy.values(), defaultStrategy);
    }

    @Override public String name() { return name; }

    @Override
    public String description() {
        return "List the " + entity + " cache strategies: TTL, the fields each keeps in Redis, and the target size per key.";
    }

    @Override
    public ToolResult call(ToolArguments arguments) {
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
                    .append(strategy.ttl().map(ttl -> "TTL " + ttl.toMinutes() + " min").orElse("not cached (MongoDB only)"))
                    .append('\n');
        }
        return ToolResult.success(text.toString().strip(), Map.of("strategies", list, "default", defaultStrategy.name()));
    }

    private static List<String> fieldNames(CacheStrategy<?> strategy) {
        return strategy.fields().stream().map(field -> switch (field) {
            case dev.mtp.common.strategy.SessionField f -> f.jsonName();
            case dev.mtp.common.strategy.InteractionField f -> f.jsonName();
            default -> field.name();
        }).toList();
    }
}
