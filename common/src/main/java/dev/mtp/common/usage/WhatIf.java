package dev.mtp.common.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.CacheStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What another strategy would have done with the measured traffic of one entity type and strategy.
 *
 * <ul>
 *   <li><b>Hit ratio</b>: a sampled read would hit if its reuse time (since the key's last write: reads do not extend
 *   a TTL, which is absolute from the write) is within the alternative's TTL and the alternative caches the rung the
 *   read needed ({@link ReadShape}). Over the reads whose last write was seen.</li>
 *   <li><b>Memory</b>: a key is live from each write until its TTL runs out or the next write renews it, so the mean
 *   number of live keys is the sum over writes of {@code min(gap to the next write, TTL)} (the TTL for a key's last
 *   write) divided by the window (Little's law), times bytes per key: measured ({@code MEMORY USAGE}) when the
 *   alternative is in use, else the measured size scaled by the seed's targets, else the seed's target.</li>
 *   <li><b>Latency</b>: hits at the measured Redis-hit latency, misses at the measured MongoDB-fallback latency (the
 *   seed's 1-2 ms and 12-18 ms when nothing was measured).</li>
 * </ul>
 */
public final class WhatIf {
    private WhatIf() {}

    /** Read latency by tier, measured or the seed's. */
    public record TierLatency(double hitMs, double missMs, String source) {
        public static TierLatency seed(EntityType entity) {
            return new TierLatency(SeedLatency.redisHit(entity).midMs(), SeedLatency.FULL_SESSION_RETRIEVAL.midMs(),
                    "seed latency table");
        }
    }

    /**
     * The measured inputs of one entity type and strategy.
     *
     * @param measuredBytesPerKey MEMORY USAGE means by strategy name, for the strategies found in the key space
     */
    public record Inputs(EntityType entity, CacheStrategy<?> current, UsageTally tally, double windowSeconds,
                         Map<String, Double> measuredBytesPerKey, TierLatency latency) {}

    public enum Confidence { NONE, LOW, MEDIUM, HIGH }

    public record Prediction(CacheStrategy<?> strategy, double hitRatio, double hitRatioLow, double hitRatioHigh,
                             long sampleReads, Confidence confidence, double liveKeys, double bytesPerKey,
                             String bytesSource, double memoryBytes, double expectedReadMs, double p50ReadMs) {}

    public static Prediction predict(Inputs in, CacheStrategy<?> alternative) {
        UsageTally tally = in.tally();
        long n = tally.sampledReads();
        double known = tally.reuseAll().total();
        double hits = 0;
        if (alternative.caches()) {
            double ttl = ttlSeconds(alternative);
            CachingLevel level = CachingLevel.of(alternative);
            for (CachingLevel need : CachingLevel.values()) {
                if (level.covers(need)) {
                    hits += tally.reuse(need).weightAtMost(ttl);
                }
            }
        }
        double ratio = known > 0 ? hits / known : Double.NaN;
        double halfWidth = n > 0 && known > 0 ? 1.96 * Math.sqrt(ratio * (1 - ratio) / n) : Double.NaN;
        double liveKeys = liveKeys(tally, alternative, in.windowSeconds());
        double bytes = bytesPerKey(in, alternative);
        double expected = Double.isNaN(ratio) ? Double.NaN
                : ratio * in.latency().hitMs() + (1 - ratio) * in.latency().missMs();
        double p50 = Double.isNaN(ratio) ? Double.NaN : ratio >= 0.5 ? in.latency().hitMs() : in.latency().missMs();
        return new Prediction(alternative, ratio, Math.max(0, ratio - halfWidth), Math.min(1, ratio + halfWidth), n,
                confidence(n, halfWidth), liveKeys, bytes, bytesSource(in, alternative), liveKeys * bytes, expected, p50);
    }

    static double liveKeys(UsageTally tally, CacheStrategy<?> strategy, double windowSeconds) {
        return strategy.caches() ? liveKeys(tally, ttlSeconds(strategy), windowSeconds) : 0;
    }

    private static double liveKeys(UsageTally tally, double ttl, double windowSeconds) {
        if (windowSeconds <= 0) {
            return 0;
        }
        double lastWrites = Math.max(0, tally.sampledWrites() - tally.writeGaps().total());
        return (tally.writeGaps().sumOfMin(ttl) + lastWrites * ttl) / windowSeconds;
    }

    /** One point of a curve: what the strategy's fields would give with another TTL. */
    public record CurvePoint(double ttlSeconds, double hitRatio, double memoryBytes) {}

    /**
     * Hit ratio and memory against TTL for the current strategy's fields (the lowest caching rung's for NONE), at
     * every bound of the reuse scale from one minute to one day, where both are exact.
     */
    public static List<CurvePoint> curve(Inputs in) {
        CacheStrategy<?> shape = in.current().caches() ? in.current()
                : CachingLevel.CRITICAL_ONLY.strategy(in.entity());
        CachingLevel level = CachingLevel.of(shape);
        double bytes = bytesPerKey(in, shape);
        double known = in.tally().reuseAll().total();
        List<CurvePoint> points = new ArrayList<>();
        for (double ttl : Histogram.Scale.REUSE_SECONDS.bounds()) {
            if (ttl < 60 || ttl > 86_400) {
                continue;
            }
            double hits = 0;
            for (CachingLevel need : CachingLevel.values()) {
                if (level.covers(need)) {
                    hits += in.tally().reuse(need).weightAtMost(ttl);
                }
            }
            points.add(new CurvePoint(ttl, known > 0 ? hits / known : Double.NaN,
                    liveKeys(in.tally(), ttl, in.windowSeconds()) * bytes));
        }
        return points;
    }

    static double bytesPerKey(Inputs in, CacheStrategy<?> strategy) {
        if (!strategy.caches()) {
            return 0;
        }
        Double measured = in.measuredBytesPerKey().get(strategy.name());
        if (measured != null) {
            return measured;
        }
        CacheStrategy<?> basis = scalingBasis(in);
        return basis == null ? strategy.targetBytes()
                : in.measuredBytesPerKey().get(basis.name()) * strategy.targetBytes() / basis.targetBytes();
    }

    private static String bytesSource(Inputs in, CacheStrategy<?> strategy) {
        if (!strategy.caches()) {
            return "not cached";
        }
        if (in.measuredBytesPerKey().containsKey(strategy.name())) {
            return "measured";
        }
        CacheStrategy<?> basis = scalingBasis(in);
        return basis == null ? "seed target" : "measured " + basis.name() + " scaled by the seed's targets";
    }

    /**
     * The measured strategy other sizes are scaled from: the current one, else any measured strategy of the entity
     * (the same payloads, projected differently), so that alternatives compare on one basis; null when none is.
     */
    private static CacheStrategy<?> scalingBasis(Inputs in) {
        if (in.current().caches() && in.measuredBytesPerKey().containsKey(in.current().name())) {
            return in.current();
        }
        return StrategyChoice.strategiesOf(in.entity()).stream()
                .filter(s -> s.caches() && in.measuredBytesPerKey().containsKey(s.name()))
                .findFirst().orElse(null);
    }

    static Confidence confidence(long n, double halfWidth) {
        if (n == 0 || Double.isNaN(halfWidth)) {
            return Confidence.NONE;
        }
        if (n >= 1_000 && halfWidth <= 0.03) {
            return Confidence.HIGH;
        }
        return n >= 100 ? Confidence.MEDIUM : Confidence.LOW;
    }

    public static double ttlSeconds(CacheStrategy<?> strategy) {
        return strategy.ttl().map(ttl -> (double) ttl.toSeconds()).orElse(0.0);
    }
}
