package dev.mtp.ingest.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.usage.Histogram;
import dev.mtp.common.usage.PatternClassifier;
import dev.mtp.common.usage.ReadOutcome;
import dev.mtp.common.usage.SeedLatency;
import dev.mtp.common.usage.StrategyAdvice;
import dev.mtp.common.usage.StrategyChoice;
import dev.mtp.common.usage.UsageTally;
import dev.mtp.common.usage.WhatIf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The analysis of measured usage (pure: the stored buckets, the key space and the sync counters in, a report out):
 * per entity type and strategy the rates, hit ratios and latency by tier against the seed's table, keys and memory
 * against the seed's bytes per key, TTL effectiveness, the seed's pattern type with its evidence, and findings along
 * the seed's troubleshooting tree.
 */
public final class UsageAnalysis {
    /** Below this many reads a hit ratio is not judged. */
    static final long MIN_READS = 20;
    static final double POOR_HIT_RATIO = 0.5;
    /** Measured bytes per key this many times the seed's target is high memory use. */
    static final double HIGH_MEMORY_FACTOR = 1.5;
    /** Keys expiring unread as a share of writes above which the cache holds what nobody reads. */
    static final double UNREAD_SHARE = 0.5;

    private final UsageStore.UsageHistory history;
    private final KeySpace keySpace;

    public UsageAnalysis(UsageStore.UsageHistory history, KeySpace keySpace) {
        this.history = history;
        this.keySpace = keySpace;
    }

    /** The tallies of one entity type by strategy, NOT_FOUND apart. */
    Map<CacheStrategy<?>, UsageTally> strategies(EntityType entity) {
        Map<CacheStrategy<?>, UsageTally> out = new LinkedHashMap<>();
        for (CacheStrategy<?> strategy : StrategyChoice.strategiesOf(entity)) {
            UsageTally tally = history.tallies().get(TallyKeys.key(entity, strategy.name()));
            if (tally != null && !tally.isEmpty()) {
                out.put(strategy, tally);
            }
        }
        return out;
    }

    /** @param profile the profile in force, as {@link StrategyDefaults#describe()} gives it */
    public Map<String, Object> analyze(int windowMinutes, Map<String, Object> profile) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("window", window(windowMinutes));
        report.put("profile", profile);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> findings = new ArrayList<>();
        Map<String, Object> patterns = new LinkedHashMap<>();
        for (EntityType entity : EntityType.values()) {
            UsageTally all = new UsageTally();
            for (Map.Entry<CacheStrategy<?>, UsageTally> entry : strategies(entity).entrySet()) {
                rows.add(row(entity, entry.getKey(), entry.getValue(), findings));
                all.addAll(entry.getValue());
            }
            UsageTally notFound = history.tallies().get(TallyKeys.key(entity, TallyKeys.NOT_FOUND));
            if (notFound != null) {
                all.addAll(notFound);
            }
            if (!all.isEmpty()) {
                patterns.put(entity.json(), pattern(all));
            }
        }
        history.instanceInfo().forEach((instance, info) -> {
            if (info instanceof Map<?, ?> map && map.get("sync") instanceof Map<?, ?> sync) {
                syncFindings(instance, sync, findings);
            }
        });
        report.put("strategies", rows);
        report.put("notFound", notFound());
        report.put("patterns", patterns);
        report.put("findings", findings);
        report.put("keySpace", Map.of("scannedKeys", keySpace.scanned(), "complete", keySpace.complete(),
                "note", keySpace.note()));
        return report;
    }

    Map<String, Object> window(int windowMinutes) {
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("minutes", windowMinutes);
        window.put("coveredSeconds", round(history.coveredSeconds()));
        window.put("instances", List.copyOf(history.instances()));
        window.put("buckets", history.buckets());
        window.put("instanceInfo", history.instanceInfo());
        return window;
    }

    private Map<String, Object> notFound() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (EntityType entity : EntityType.values()) {
            UsageTally tally = history.tallies().get(TallyKeys.key(entity, TallyKeys.NOT_FOUND));
            out.put(entity.json(), tally == null ? 0 : tally.reads());
        }
        return out;
    }

    private Map<String, Object> row(EntityType entity, CacheStrategy<?> strategy, UsageTally tally,
                                    List<Map<String, Object>> findings) {
        double seconds = Math.max(1, history.coveredSeconds());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("entityType", entity.json());
        row.put("strategy", strategy.name());
        row.put("ttlSeconds", strategy.ttl().map(ttl -> ttl.toSeconds()).orElse(null));
        row.put("writes", tally.writes());
        row.put("writesPerSecond", round(tally.writes() / seconds));
        row.put("writeBytes", tally.writeBytes());
        long reads = tally.reads();
        row.put("reads", reads);
        row.put("readsPerSecond", round(reads / seconds));
        Map<String, Object> outcomes = new LinkedHashMap<>();
        for (ReadOutcome outcome : ReadOutcome.values()) {
            outcomes.put(outcome.name(), tally.outcome(outcome));
        }
        row.put("readOutcomes", outcomes);
        double hit = reads == 0 ? Double.NaN : (double) tally.outcome(ReadOutcome.REDIS_HIT) / reads;
        Map<String, Object> hitRatio = new LinkedHashMap<>(); // null while nothing was read
        hitRatio.put("redis", round(hit));
        hitRatio.put("mongodb", round(reads == 0 ? Double.NaN : 1 - hit));
        row.put("hitRatio", hitRatio);
        row.put("latencyMs", Map.of("redis", latency(tally.redisLatencyMs()), "mongodb", latency(tally.mongoLatencyMs())));
        row.put("seedLatency", Map.of("redis", SeedLatency.redisHit(entity).range(),
                "mongodb", SeedLatency.FULL_SESSION_RETRIEVAL.range()));
        row.put("keys", keys(entity, strategy));
        double expiredUnread = tally.expiredUnread()
                + history.expiredUnreadNow().getOrDefault(TallyKeys.key(entity, strategy.name()), 0.0);
        Map<String, Object> ttl = new LinkedHashMap<>();
        ttl.put("readsAfterExpiry", tally.outcome(ReadOutcome.MONGODB_EXPIRED));
        ttl.put("readsNeverCached", tally.outcome(ReadOutcome.MONGODB_NEVER_CACHED));
        ttl.put("readsEvictedOrLost", tally.outcome(ReadOutcome.MONGODB_EVICTED_OR_LOST));
        ttl.put("keysExpiredUnread", round(expiredUnread));
        Histogram reuse = tally.reuseAll();
        ttl.put("reuseSecondsP50", round(reuse.quantileBound(0.5)));
        ttl.put("reuseSecondsP90", round(reuse.quantileBound(0.9)));
        ttl.put("sampledReads", tally.sampledReads());
        row.put("ttlEffectiveness", ttl);
        row.put("pattern", pattern(tally));
        strategyFindings(entity, strategy, tally, hit, expiredUnread, findings);
        return row;
    }

    private Map<String, Object> keys(EntityType entity, CacheStrategy<?> strategy) {
        Map<String, Object> keys = new LinkedHashMap<>();
        KeySpace.Keys measured = keySpace.byStrategy().get(TallyKeys.key(entity, strategy.name()));
        keys.put("seedBytesPerKey", strategy.targetBytes());
        if (measured != null) {
            keys.put("seen", measured.seen());
            keys.put("estimated", round(measured.estimated()));
            keys.put("bytesPerKey", round(measured.meanBytes()));
            keys.put("memorySamples", measured.memorySamples());
            keys.put("memoryBytes", round(measured.estimated() * measured.meanBytes()));
            keys.put("ttlRemainingSecondsP50", round(measured.ttlRemainingSeconds().quantileBound(0.5)));
        } else {
            keys.put("seen", 0);
        }
        return keys;
    }

    private Map<String, Object> pattern(UsageTally tally) {
        PatternClassifier.Classification c = PatternClassifier.classify(
                PatternClassifier.Features.of(tally, Math.max(1, history.coveredSeconds())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", c.type() == null ? null : c.type().name());
        out.put("label", c.type() == null ? "not enough data" : c.type().label());
        out.put("evidence", c.evidence());
        if (c.type() != null) {
            StrategyAdvice advice = StrategyAdvice.forPattern(c.type());
            out.put("seedStrategies", Map.of("session", advice.sessionLevel().session().name(),
                    "interaction", advice.interactionLevel().interaction().name()));
            out.put("seedRationale", advice.rationale());
        }
        return out;
    }

    private void strategyFindings(EntityType entity, CacheStrategy<?> strategy, UsageTally tally, double hit,
                                  double expiredUnread, List<Map<String, Object>> findings) {
        String where = entity.json() + " " + strategy.name();
        if (strategy.caches() && tally.reads() >= MIN_READS && hit < POOR_HIT_RATIO) {
            findings.add(finding("POOR_HIT_RATE", where, String.format("%.0f%% of %d reads answered by Redis "
                    + "(%d after expiry, %d evicted or lost)", 100 * hit, tally.reads(),
                    tally.outcome(ReadOutcome.MONGODB_EXPIRED), tally.outcome(ReadOutcome.MONGODB_EVICTED_OR_LOST)),
                    "analyze access patterns, adjust strategies, increase TTL (get_persistence_recommendations)"));
        }
        if (!strategy.caches() && tally.reads() >= MIN_READS) {
            findings.add(finding("POOR_HIT_RATE", where, tally.reads() + " reads, all from MongoDB: NONE caches nothing",
                    "adjust strategies if these reads must be fast (get_persistence_recommendations)"));
        }
        KeySpace.Keys keys = keySpace.byStrategy().get(TallyKeys.key(entity, strategy.name()));
        if (keys != null && keys.memorySamples() > 0 && keys.meanBytes() > HIGH_MEMORY_FACTOR * strategy.targetBytes()) {
            findings.add(finding("HIGH_MEMORY_USE", where, String.format("%.0f bytes per key against the seed's ~%d",
                    keys.meanBytes(), strategy.targetBytes()), "review cache strategies, reduce caching levels"));
        }
        if (tally.writes() >= MIN_READS && expiredUnread > UNREAD_SHARE * tally.writes()) {
            findings.add(finding("HIGH_MEMORY_USE", where, String.format("%.0f of %d written keys expired without a read",
                    expiredUnread, tally.writes()), "reduce caching levels, implement shorter TTL, or NONE"));
        }
        double mongoP50 = tally.mongoLatencyMs().quantileBound(0.5);
        double mongoP99 = tally.mongoLatencyMs().quantileBound(0.99);
        if (!Double.isNaN(mongoP50) && (mongoP50 > SeedLatency.FULL_SESSION_RETRIEVAL.maxMs()
                || mongoP99 > SeedLatency.COMPLEX_QUERY.maxMs())) {
            findings.add(finding("SLOW_MONGODB_QUERIES", where, String.format("MongoDB fallbacks p50 at most %s ms, "
                    + "p99 at most %s ms (seed: %s)", fmt(mongoP50), fmt(mongoP99), SeedLatency.FULL_SESSION_RETRIEVAL.range()),
                    "add appropriate indexes, optimize query patterns, consider read replicas"));
        }
    }

    private static void syncFindings(String instance, Map<?, ?> stats, List<Map<String, Object>> findings) {
        long failed = count(stats, "eventOnlyFailed") + count(stats, "eventOnlyTimedOut");
        if (failed > 0) {
            findings.add(finding("SYNC_FAILURES", "hybrid sync of " + instance, failed + " direct Redis writes failed or "
                    + "timed out since the instance started (" + count(stats, "hybridDirect") + " succeeded); "
                    + "cache-writer wrote them from Kafka", "monitor hybrid sync health, check network connectivity, "
                    + "review error logs"));
        }
    }

    private static long count(Map<?, ?> stats, String name) {
        return stats.get(name) instanceof Number n ? n.longValue() : 0;
    }

    public static Map<String, Object> finding(String kind, String where, String detail, String advice) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kind", kind);
        f.put("where", where);
        f.put("detail", detail);
        f.put("advice", "seed troubleshooting: " + advice);
        return f;
    }

    private static Map<String, Object> latency(Histogram histogram) {
        Map<String, Object> out = new TreeMap<>();
        out.put("reads", Math.round(histogram.total()));
        out.put("p50AtMost", round(histogram.quantileBound(0.5)));
        out.put("p99AtMost", round(histogram.quantileBound(0.99)));
        return out;
    }

    /** Three decimals; NaN and infinity become null (JSON has neither). */
    static Double round(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 1000) / 1000.0;
    }

    private static String fmt(double value) {
        return Double.isInfinite(value) ? "more than 2500" : String.format("%.2f", value);
    }

    /**
     * Hit ratio and memory against TTL for each strategy in use ({@link WhatIf#curve}), with today's point: its TTL,
     * the measured hit ratio and the key space's memory (the model's where the scan has none).
     */
    public List<Map<String, Object>> curves() {
        List<Map<String, Object>> curves = new ArrayList<>();
        for (EntityType entity : EntityType.values()) {
            for (Map.Entry<CacheStrategy<?>, UsageTally> entry : strategies(entity).entrySet()) {
                CacheStrategy<?> strategy = entry.getKey();
                UsageTally tally = entry.getValue();
                List<WhatIf.CurvePoint> points = WhatIf.curve(inputs(entity, strategy, tally));
                Map<String, Object> curve = new LinkedHashMap<>();
                curve.put("entityType", entity.json());
                curve.put("strategy", strategy.name());
                curve.put("points", points.stream().map(p -> point(p.ttlSeconds(), p.hitRatio(), p.memoryBytes())).toList());
                if (strategy.caches()) {
                    double ttl = WhatIf.ttlSeconds(strategy);
                    KeySpace.Keys keys = keySpace.byStrategy().get(TallyKeys.key(entity, strategy.name()));
                    double memory = keys != null && keys.memorySamples() > 0 ? keys.estimated() * keys.meanBytes()
                            : points.stream().filter(p -> p.ttlSeconds() == ttl).mapToDouble(WhatIf.CurvePoint::memoryBytes)
                                    .findFirst().orElse(Double.NaN);
                    double hit = tally.reads() == 0 ? Double.NaN
                            : (double) tally.outcome(ReadOutcome.REDIS_HIT) / tally.reads();
                    curve.put("today", point(ttl, hit, memory));
                }
                curves.add(curve);
            }
        }
        return curves;
    }

    private static Map<String, Object> point(double ttl, double hit, double memory) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("ttlSeconds", ttl);
        point.put("hitRatio", round(hit));
        point.put("memoryBytes", round(memory));
        return point;
    }

    /** The what-if inputs of one strategy in use, with measured bytes per key and the entity's tier latencies. */
    WhatIf.Inputs inputs(EntityType entity, CacheStrategy<?> strategy, UsageTally tally) {
        Map<String, Double> bytes = new LinkedHashMap<>();
        for (CacheStrategy<?> s : StrategyChoice.strategiesOf(entity)) {
            KeySpace.Keys keys = keySpace.byStrategy().get(TallyKeys.key(entity, s.name()));
            if (keys != null && keys.memorySamples() > 0) {
                bytes.put(s.name(), keys.meanBytes());
            }
        }
        Histogram hits = new Histogram(Histogram.Scale.LATENCY_MS);
        Histogram misses = new Histogram(Histogram.Scale.LATENCY_MS);
        strategies(entity).values().forEach(t -> {
            hits.addAll(t.redisLatencyMs());
            misses.addAll(t.mongoLatencyMs());
        });
        WhatIf.TierLatency seed = WhatIf.TierLatency.seed(entity);
        WhatIf.TierLatency latency = hits.total() >= MIN_READS && misses.total() >= MIN_READS
                ? new WhatIf.TierLatency(hits.mean(), misses.mean(), "measured means by tier")
                : seed;
        return new WhatIf.Inputs(entity, strategy, tally, Math.max(1, history.coveredSeconds()), bytes, latency);
    }
}
