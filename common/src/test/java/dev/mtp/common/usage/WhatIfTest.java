package dev.mtp.common.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.SessionCacheStrategy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A worked example, computed by hand. Sessions cached CRITICAL_ONLY (TTL 3,600 s), one hour, sampling rate 0.1
 * (each sampled event weighs 10). Twenty sampled reads:
 * <pre>
 *   need CRITICAL_ONLY: reuse 60 s x4, 1,200 s x3, 2,700 s x2, 5,400 s x1
 *   need WITH_CONTEXT:  reuse 120 s x5, 600 s x5
 * </pre>
 * Hits: CRITICAL_ONLY (3,600 s, critical reads only) 4+3+2 = 9 of 20 = 0.45; WITH_CONTEXT (1,800 s, both) 7+10 = 17
 * of 20 = 0.85; FULL_SESSION (900 s) 4+10 = 14 of 20 = 0.70; NONE 0.
 * <p>Writes: 8 sampled (weight 80), 3 of them 600 s after the key's previous write (weight 30), so 50 are a key's
 * last write. Live keys = (sum of min(gap, TTL) + last writes x TTL) / 3,600 s:
 * CRITICAL_ONLY (18,000 + 50 x 3,600) / 3,600 = 55; WITH_CONTEXT (18,000 + 90,000) / 3,600 = 30;
 * FULL_SESSION (18,000 + 45,000) / 3,600 = 17.5.
 * <p>Bytes: CRITICAL_ONLY measured 184; the others scaled by the seed's targets: 184 x 800/200 = 736,
 * 184 x 1,500/200 = 1,380. Memory: 10,120, 22,080, 24,150 bytes.
 * <p>Latency (the seed's 1.5 ms hit, 15 ms miss): WITH_CONTEXT 0.85 x 1.5 + 0.15 x 15 = 3.525 ms.
 * 95% interval of 0.85 over 20 reads: 1.96 x sqrt(0.85 x 0.15 / 20) = 0.1565.
 */
class WhatIfTest {
    static final double WINDOW = 3_600;

    static UsageTally workedExample() {
        UsageTally tally = new UsageTally();
        reuse(tally, CachingLevel.CRITICAL_ONLY, 60, 4);
        reuse(tally, CachingLevel.CRITICAL_ONLY, 1_200, 3);
        reuse(tally, CachingLevel.CRITICAL_ONLY, 2_700, 2);
        reuse(tally, CachingLevel.CRITICAL_ONLY, 5_400, 1);
        reuse(tally, CachingLevel.WITH_CONTEXT, 120, 5);
        reuse(tally, CachingLevel.WITH_CONTEXT, 600, 5);
        for (int i = 0; i < 5; i++) {
            tally.sampledWrite(-1, 10);
        }
        for (int i = 0; i < 3; i++) {
            tally.sampledWrite(600, 10);
        }
        return tally;
    }

    static WhatIf.Inputs inputs(UsageTally tally) {
        return new WhatIf.Inputs(EntityType.SESSION, SessionCacheStrategy.CRITICAL_ONLY, tally, WINDOW,
                Map.of("CRITICAL_ONLY", 184.0), WhatIf.TierLatency.seed(EntityType.SESSION));
    }

    @Test
    void hitRatiosFollowTtlAndTheFieldsEachReadNeeded() {
        WhatIf.Inputs in = inputs(workedExample());

        assertThat(WhatIf.predict(in, SessionCacheStrategy.CRITICAL_ONLY).hitRatio()).isCloseTo(0.45, within(1e-9));
        assertThat(WhatIf.predict(in, SessionCacheStrategy.WITH_CONTEXT).hitRatio()).isCloseTo(0.85, within(1e-9));
        assertThat(WhatIf.predict(in, SessionCacheStrategy.FULL_SESSION).hitRatio()).isCloseTo(0.70, within(1e-9));
        assertThat(WhatIf.predict(in, SessionCacheStrategy.NONE).hitRatio()).isZero();
    }

    @Test
    void memoryFromLiveKeysAndBytesPerKey() {
        WhatIf.Inputs in = inputs(workedExample());

        WhatIf.Prediction critical = WhatIf.predict(in, SessionCacheStrategy.CRITICAL_ONLY);
        WhatIf.Prediction context = WhatIf.predict(in, SessionCacheStrategy.WITH_CONTEXT);
        WhatIf.Prediction full = WhatIf.predict(in, SessionCacheStrategy.FULL_SESSION);

        assertThat(critical.liveKeys()).isCloseTo(55, within(1e-9));
        assertThat(context.liveKeys()).isCloseTo(30, within(1e-9));
        assertThat(full.liveKeys()).isCloseTo(17.5, within(1e-9));
        assertThat(critical.memoryBytes()).isCloseTo(10_120, within(1e-6));
        assertThat(context.bytesPerKey()).isCloseTo(736, within(1e-9));
        assertThat(context.bytesSource()).isEqualTo("measured CRITICAL_ONLY scaled by the seed's targets");
        assertThat(context.memoryBytes()).isCloseTo(22_080, within(1e-6));
        assertThat(full.memoryBytes()).isCloseTo(24_150, within(1e-6));
        assertThat(WhatIf.predict(in, SessionCacheStrategy.NONE).memoryBytes()).isZero();
    }

    @Test
    void latencyIntervalAndConfidence() {
        WhatIf.Prediction context = WhatIf.predict(inputs(workedExample()), SessionCacheStrategy.WITH_CONTEXT);

        assertThat(context.expectedReadMs()).isCloseTo(3.525, within(1e-9));
        assertThat(context.p50ReadMs()).isEqualTo(1.5);
        assertThat(context.sampleReads()).isEqualTo(20);
        assertThat(context.hitRatioLow()).isCloseTo(0.85 - 0.15649, within(1e-4));
        assertThat(context.hitRatioHigh()).isEqualTo(1.0);
        assertThat(context.confidence()).isEqualTo(WhatIf.Confidence.LOW);
    }

    @Test
    void poorHitRateSwitchesToTheStrategyThatServesTheContextReads() {
        StrategyChoice.Choice choice = StrategyChoice.choose(inputs(workedExample()));

        assertThat(choice.action()).isEqualTo(StrategyChoice.Action.SWITCH);
        assertThat(choice.chosen().strategy()).isEqualTo(SessionCacheStrategy.WITH_CONTEXT);
        assertThat(choice.reason()).isEqualTo("poor hit rate: predicted 0.85 instead of 0.45");
    }

    /**
     * Sessions cached FULL_SESSION (392 bytes measured), ten writes of weight 1 in an hour, each read once 60 s later
     * needing only the critical fields: every caching strategy hits all ten. Live keys 10 / 5 / 2.5 for 3,600 / 1,800 /
     * 900 s; bytes 392 x 200/1,500 = 52.27, 392 x 800/1,500 = 209.07, 392: memory 522.7, 1,045.3, 980.
     */
    @Test
    void equalHitsAtLessMemorySwitchesDown() {
        UsageTally tally = new UsageTally();
        reuse(tally, CachingLevel.CRITICAL_ONLY, 60, 10);
        for (int i = 0; i < 10; i++) {
            tally.sampledWrite(-1, 1);
        }
        WhatIf.Inputs in = new WhatIf.Inputs(EntityType.SESSION, SessionCacheStrategy.FULL_SESSION, tally, WINDOW,
                Map.of("FULL_SESSION", 392.0), WhatIf.TierLatency.seed(EntityType.SESSION));

        StrategyChoice.Choice choice = StrategyChoice.choose(in);

        assertThat(choice.current().memoryBytes()).isCloseTo(980, within(1e-9));
        assertThat(choice.chosen().strategy()).isEqualTo(SessionCacheStrategy.CRITICAL_ONLY);
        assertThat(choice.chosen().memoryBytes()).isCloseTo(522.67, within(0.01));
        assertThat(choice.reason()).isEqualTo("memory: 523 instead of 980 bytes at a hit ratio of 1.00 (now 1.00)");
    }

    /**
     * The curve keeps CRITICAL_ONLY's fields and moves the TTL: at 1,800 s the critical reads within it hit, 4 + 3 of
     * 20 = 0.35, and (18,000 + 50 x 1,800) / 3,600 = 30 keys of 184 bytes live: 5,520 bytes. At 3,600 s today's
     * point: 0.45 and 10,120 bytes.
     */
    @Test
    void theCurveMovesTheTtlAndKeepsTheFields() {
        List<WhatIf.CurvePoint> curve = WhatIf.curve(inputs(workedExample()));

        assertThat(curve).extracting(WhatIf.CurvePoint::ttlSeconds).startsWith(60.0).endsWith(86_400.0);
        WhatIf.CurvePoint halfHour = curve.stream().filter(p -> p.ttlSeconds() == 1_800).findFirst().orElseThrow();
        assertThat(halfHour.hitRatio()).isCloseTo(0.35, within(1e-9));
        assertThat(halfHour.memoryBytes()).isCloseTo(5_520, within(1e-6));
        WhatIf.CurvePoint today = curve.stream().filter(p -> p.ttlSeconds() == 3_600).findFirst().orElseThrow();
        assertThat(today.hitRatio()).isCloseTo(0.45, within(1e-9));
        assertThat(today.memoryBytes()).isCloseTo(10_120, within(1e-6));
    }

    @Test
    void noSampledReadsIsNoPrediction() {
        StrategyChoice.Choice choice = StrategyChoice.choose(inputs(new UsageTally()));

        assertThat(choice.action()).isEqualTo(StrategyChoice.Action.NO_DATA);
        assertThat(choice.current().confidence()).isEqualTo(WhatIf.Confidence.NONE);
    }

    private static void reuse(UsageTally tally, CachingLevel need, double seconds, int reads) {
        for (int i = 0; i < reads; i++) {
            tally.sampledReuse(need, seconds, 10);
        }
    }
}
