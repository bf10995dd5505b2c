package dev.mtp.reconciler.it;

import dev.mtp.reconciler.Events;
import dev.mtp.reconciler.Pipeline;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Done means: after FLUSHALL, and after a Redis restart (empty: the private server persists nothing), with live keys,
 * every live key is back with its remaining TTL (the same absolute expiry) within the stated bound, and no expired or
 * NONE key reappears. Default scale: 2,000 sessions (~5,000 live keys); {@code -Dmtp.it.scale=20} gives ~100k.
 * Bound: canary interval (0.5 s here) + live keys / recovery rate (Redis-bound, measured) + one punctuation.
 */
@RealServers
class FlushAndRestartIT {

    @TempDir
    Path stateDir;

    @Test
    void everyLiveKeyComesBackWithItsRemainingTtlAndNothingExpiredOrNone(TestNamespace ns) throws Exception {
        assumeThat(ns.redisServer()).as("a private redis-server to flush and restart").isPresent();
        int sessions = 2_000 * Convergence.scale();
        try (Pipeline pipeline = new Pipeline(ns, stateDir).set("APP_RECONCILER_CHECK_DELAY_MS", "1000");
             RunningApp app = pipeline.startReconciler()) {
            Instant now = Instant.now();
            Instant expired = now.minus(Duration.ofMinutes(90));
            for (int i = 0; i < sessions; i++) {
                String s = "s-" + i;
                switch (i % 10) {
                    // expired as planned: created 90 min ago with a 1 h TTL, and its 5 min interaction too
                    case 0 -> {
                        pipeline.produce(Events.created(s, "CRITICAL_ONLY", expired));
                        pipeline.produce(Events.interaction(s, "int-" + i, "FULL_INTERACTION", expired));
                    }
                    // NONE: MongoDB only
                    case 1 -> {
                        pipeline.produce(Events.created(s, "NONE", now));
                        pipeline.produce(Events.interaction(s, "int-" + i, "NONE", now));
                    }
                    default -> {
                        pipeline.produce(Events.created(s, Traffic.SESSION_STRATEGIES[i % 3], now));
                        pipeline.produce(Events.interaction(s, "int-" + i, Traffic.INTERACTION_STRATEGIES[i % 3], now));
                    }
                }
            }
            long lastAck = pipeline.flush();
            Convergence.await(pipeline, lastAck, Duration.ofSeconds(120 + 30L * Convergence.scale()),
                    "initial write by the reconciler alone, " + pipeline.produced() + " events");
            Stats.print(app, "after initial write");
            List<Pipeline.Expected> expected = pipeline.expected(System.currentTimeMillis());
            Set<String> live = new HashSet<>();
            expected.stream().filter(Pipeline.Expected::present).forEach(x -> live.add(x.key()));
            RedisCommands<String, String> redis = ns.redis().sync();
            Map<String, Long> expiryBefore = new HashMap<>();
            for (String key : live) {
                expiryBefore.put(key, redis.pexpiretime(key));
            }

            redis.flushall();
            long flushed = System.nanoTime();
            Duration afterFlush = Convergence.await(pipeline, flushed, Duration.ofSeconds(60 + 10L * Convergence.scale()),
                    "after FLUSHALL, " + live.size() + " live keys");
            assertOnlyLiveKeysWithTheirExpiry(ns, redis, live, expiryBefore);
            Stats.print(app, "after FLUSHALL");

            ns.redisServer().orElseThrow().restart();
            long restarted = System.nanoTime();
            Duration afterRestart = Convergence.await(pipeline, restarted, Duration.ofSeconds(60 + 10L * Convergence.scale()),
                    "after a Redis restart, " + live.size() + " live keys");
            assertOnlyLiveKeysWithTheirExpiry(ns, redis, live, expiryBefore);

            Stats.print(app, "after the restart");
            assertThat(afterFlush).isLessThan(Duration.ofSeconds(30L * Convergence.scale()));
            assertThat(afterRestart).isLessThan(Duration.ofSeconds(30L * Convergence.scale()));
            assertThat(app.meterRegistry().find("mtp.reconciler.data.loss").counter().count()).isGreaterThanOrEqualTo(3);
        }
    }

    /** Redis holds the live keys with their original absolute expiry, and apart from them only helpers. */
    private static void assertOnlyLiveKeysWithTheirExpiry(TestNamespace ns, RedisCommands<String, String> redis,
                                                          Set<String> live, Map<String, Long> expiryBefore) {
        Set<String> found = new HashSet<>();
        ScanArgs ours = ScanArgs.Builder.matches(ns.redisKeyPrefix() + "{*").limit(5_000);
        KeyScanCursor<String> cursor = redis.scan(ours);
        while (true) {
            cursor.getKeys().stream().filter(k -> !k.endsWith(":ix")).forEach(found::add);
            if (cursor.isFinished()) {
                break;
            }
            cursor = redis.scan(ScanCursor.of(cursor.getCursor()), ours);
        }
        assertThat(found).as("no expired or NONE key reappears").containsExactlyInAnyOrderElementsOf(live);
        for (String key : List.copyOf(live).subList(0, Math.min(live.size(), 2_000))) {
            assertThat(redis.pexpiretime(key)).as(key + " keeps its remaining TTL").isEqualTo(expiryBefore.get(key));
        }
    }
}
