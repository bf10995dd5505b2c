package dev.mtp.common.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.StrategyProfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strategy pair for a described use case, with what the seed says it costs and gives: bytes per key (its "Memory
 * Usage Comparison"), TTL and read latency (its "Access Pattern Performance": a Redis hit, or Redis then MongoDB
 * when nothing is cached).
 */
public record StrategyAdvice(CachingLevel sessionLevel, CachingLevel interactionLevel, String basis,
                             List<String> path, String rationale) {

    /** From the seed's decision tree: one rung for both entities. */
    public static StrategyAdvice forUseCase(UseCase useCase) {
        DecisionTree.Decision decision = DecisionTree.decide(useCase);
        return new StrategyAdvice(decision.level(), decision.level(), "decision tree", decision.path(),
                "the seed's strategy selection decision tree");
    }

    /** From the seed's pattern table. */
    public static StrategyAdvice forPattern(PatternType pattern) {
        return new StrategyAdvice(pattern.sessionLevel(), pattern.interactionLevel(), "pattern table",
                List.of("pattern type " + pattern.label()), pattern.rationale());
    }

    public Optional<StrategyProfile> matchingProfile() {
        return StrategyProfile.matching(sessionLevel.session(), interactionLevel.interaction());
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("basis", basis);
        out.put("path", path);
        out.put("rationale", rationale);
        out.put("session", entity(EntityType.SESSION, sessionLevel.session()));
        out.put("interaction", entity(EntityType.INTERACTION, interactionLevel.interaction()));
        matchingProfile().ifPresent(profile -> out.put("profile", profile.configName()));
        return out;
    }

    /** e.g. "session WITH_CONTEXT (~800 B, TTL 30 min), interaction RESPONSE_ONLY (~500 B, TTL 30 min)" */
    public String summary() {
        return "session " + brief(sessionLevel.session()) + ", interaction " + brief(interactionLevel.interaction());
    }

    private static String brief(CacheStrategy<?> strategy) {
        return strategy.name() + strategy.ttl().map(ttl -> " (~" + strategy.targetBytes() + " B, TTL "
                + ttl.toMinutes() + " min)").orElse(" (not cached)");
    }

    private static Map<String, Object> entity(EntityType type, CacheStrategy<?> strategy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("strategy", strategy.name());
        out.put("expectedBytesPerKey", strategy.targetBytes());
        out.put("ttlSeconds", strategy.ttl().map(ttl -> ttl.toSeconds()).orElse(null));
        SeedLatency latency = strategy.caches() ? SeedLatency.redisHit(type) : SeedLatency.FULL_SESSION_RETRIEVAL;
        out.put("expectedReadLatency", latency.range());
        out.put("expectedReadLatencyMs", Map.of("min", latency.minMs(), "max", latency.maxMs()));
        return out;
    }
}
