package dev.mtp.ingest.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.common.usage.ReadOutcome;
import dev.mtp.common.usage.StrategyChoice;
import dev.mtp.common.usage.UsageTally;
import dev.mtp.common.usage.WhatIf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recommendations from measured usage (the seed's "Phase 5: Optimize Based on Usage"): for each strategy in use, keep
 * or switch ({@link StrategyChoice}), each alternative's predicted hit ratio, memory change and read latency from the
 * what-if, with sample size and confidence; then the profile that gives the recommended defaults.
 */
public final class Recommendations {
    private Recommendations() {}

    public static Map<String, Object> fromUsage(UsageAnalysis analysis, int windowMinutes, StrategyDefaults profile) {
        List<Map<String, Object>> items = new ArrayList<>();
        Map<EntityType, CacheStrategy<?>> recommended = new LinkedHashMap<>();
        for (EntityType entity : EntityType.values()) {
            Map<CacheStrategy<?>, UsageTally> used = analysis.strategies(entity);
            CacheStrategy<?> busiest = used.entrySet().stream()
                    .max(Comparator.comparingLong(e -> e.getValue().reads())).map(Map.Entry::getKey).orElse(null);
            for (Map.Entry<CacheStrategy<?>, UsageTally> entry : used.entrySet()) {
                StrategyChoice.Choice choice = StrategyChoice.choose(analysis.inputs(entity, entry.getKey(), entry.getValue()));
                items.add(item(entity, entry.getValue(), choice));
                if (entry.getKey() == busiest) {
                    recommended.put(entity, choice.chosen().strategy());
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("basis", "measured usage");
        out.put("window", analysis.window(windowMinutes));
        out.put("profileInForce", profile.describe());
        out.put("recommendations", items);
        out.put("recommendedProfile", profile(recommended, profile));
        return out;
    }

    private static Map<String, Object> item(EntityType entity, UsageTally tally, StrategyChoice.Choice choice) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("entityType", entity.json());
        item.put("strategy", choice.current().strategy().name());
        item.put("action", choice.action().name());
        item.put("recommended", choice.chosen().strategy().name());
        item.put("reason", choice.reason());
        item.put("measuredHitRatio", UsageAnalysis.round(tally.reads() == 0 ? Double.NaN
                : (double) tally.outcome(ReadOutcome.REDIS_HIT) / tally.reads()));
        double base = choice.current().memoryBytes();
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (WhatIf.Prediction p : choice.alternatives()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("strategy", p.strategy().name());
            row.put("hitRatio", UsageAnalysis.round(p.hitRatio()));
            row.put("hitRatioInterval", Arrays.asList(UsageAnalysis.round(p.hitRatioLow()), UsageAnalysis.round(p.hitRatioHigh())));
            row.put("liveKeys", UsageAnalysis.round(p.liveKeys()));
            row.put("bytesPerKey", UsageAnalysis.round(p.bytesPerKey()));
            row.put("bytesSource", p.bytesSource());
            row.put("memoryBytes", UsageAnalysis.round(p.memoryBytes()));
            row.put("memoryChangeBytes", UsageAnalysis.round(p.memoryBytes() - base));
            row.put("memoryChangePercent", base > 0 ? UsageAnalysis.round(100 * (p.memoryBytes() - base) / base) : null);
            row.put("expectedReadMs", UsageAnalysis.round(p.expectedReadMs()));
            row.put("p50ReadMs", UsageAnalysis.round(p.p50ReadMs()));
            row.put("sampleReads", p.sampleReads());
            row.put("confidence", p.confidence().name());
            predictions.add(row);
        }
        item.put("predictions", predictions);
        item.put("sampleReads", choice.current().sampleReads());
        item.put("confidence", choice.current().confidence().name());
        return item;
    }

    /** The profile whose pair is the recommended one, else the closest, saying which default to set. */
    static Map<String, Object> profile(Map<EntityType, CacheStrategy<?>> recommended, StrategyDefaults inForce) {
        SessionCacheStrategy session = (SessionCacheStrategy) recommended.getOrDefault(EntityType.SESSION, inForce.session());
        InteractionCacheStrategy interaction =
                (InteractionCacheStrategy) recommended.getOrDefault(EntityType.INTERACTION, inForce.interaction());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionStrategy", session.name());
        out.put("interactionStrategy", interaction.name());
        StrategyProfile exact = StrategyProfile.matching(session, interaction).orElse(null);
        if (exact != null) {
            out.put("profile", exact.configName());
            out.put("how", exact == inForce.profile() && !inForce.sessionConfigured() && !inForce.interactionConfigured()
                    ? "in force already" : "APP_PROFILE=" + exact.configName());
            return out;
        }
        StrategyProfile closest = inForce.profile();
        int best = -1;
        for (StrategyProfile candidate : StrategyProfile.values()) {
            int matches = (candidate.sessionStrategy() == session ? 1 : 0) + (candidate.interactionStrategy() == interaction ? 1 : 0);
            if (matches > best || (matches == best && candidate == inForce.profile())) {
                best = matches;
                closest = candidate;
            }
        }
        out.put("profile", closest.configName());
        List<String> settings = new ArrayList<>();
        settings.add("APP_PROFILE=" + closest.configName());
        if (closest.sessionStrategy() != session) {
            settings.add("APP_PERSISTENCE_DEFAULT_SESSION_STRATEGY=" + session.name());
        }
        if (closest.interactionStrategy() != interaction) {
            settings.add("APP_PERSISTENCE_DEFAULT_INTERACTION_STRATEGY=" + interaction.name());
        }
        out.put("how", "no profile gives this pair: " + String.join(" ", settings));
        return out;
    }
}
