package dev.mtp.common.usage;

import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.event.EntityType;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Keep or switch one strategy in use, from the what-if of every strategy of its entity type: the strategy with the
 * least predicted memory among those within {@link #HIT_TOLERANCE} of the best predicted hit ratio (the seed's
 * troubleshooting both ways: poor hit rates call for another strategy or a longer TTL, high memory for a lower
 * rung or a shorter TTL, each only as far as the other allows). The current strategy is kept when it is among them.
 */
public final class StrategyChoice {
    /** Hit ratios this close count as equal: the what-if's own resolution at a few hundred sampled reads. */
    public static final double HIT_TOLERANCE = 0.02;

    private StrategyChoice() {}

    public enum Action { KEEP, SWITCH, NO_DATA }

    public record Choice(Action action, WhatIf.Prediction current, WhatIf.Prediction chosen,
                         List<WhatIf.Prediction> alternatives, String reason) {}

    public static Choice choose(WhatIf.Inputs in) {
        List<WhatIf.Prediction> all = strategiesOf(in.entity()).stream().map(s -> WhatIf.predict(in, s)).toList();
        WhatIf.Prediction current = all.stream().filter(p -> p.strategy() == in.current()).findFirst().orElseThrow();
        if (Double.isNaN(current.hitRatio())) {
            return new Choice(Action.NO_DATA, current, current, all,
                    "no sampled read with a known reuse time yet: keep " + in.current().name() + " until there is");
        }
        double best = all.stream().mapToDouble(WhatIf.Prediction::hitRatio).max().orElse(0);
        List<WhatIf.Prediction> good = all.stream().filter(p -> p.hitRatio() >= best - HIT_TOLERANCE).toList();
        if (good.contains(current) && good.stream().noneMatch(p -> p.memoryBytes() < current.memoryBytes() * 0.9)) {
            return new Choice(Action.KEEP, current, current, all, String.format(
                    "%s reaches %.2f of the best predicted hit ratio %.2f and no strategy doing as well needs 10%% "
                            + "less memory", in.current().name(), current.hitRatio(), best));
        }
        WhatIf.Prediction chosen = good.stream().min(Comparator.comparingDouble(WhatIf.Prediction::memoryBytes)).orElseThrow();
        String why = chosen.hitRatio() > current.hitRatio() + HIT_TOLERANCE
                ? String.format("poor hit rate: predicted %.2f instead of %.2f", chosen.hitRatio(), current.hitRatio())
                : String.format("memory: %.0f instead of %.0f bytes at a hit ratio of %.2f (now %.2f)",
                        chosen.memoryBytes(), current.memoryBytes(), chosen.hitRatio(), current.hitRatio());
        return new Choice(Action.SWITCH, current, chosen, all, why);
    }

    public static List<CacheStrategy<?>> strategiesOf(EntityType entity) {
        return entity == EntityType.SESSION ? Arrays.asList(SessionCacheStrategy.values())
                : Arrays.asList(InteractionCacheStrategy.values());
    }
}
