package dev.mtp.reconciler.redis;

import dev.mtp.reconciler.topology.RecoverySignal;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

@RealServers
class DataLossDetectorIT {

    @Test
    void flushAllAndAnEmptyRestartAreNoticedAndAnIntactRedisIsNot(TestNamespace ns) {
        RecoverySignal signal = new RecoverySignal();
        ReconcilerMetrics metrics = ReconcilerMetrics.inMemory();
        String key = DataLossDetector.canaryKey(ns.redisKeyPrefix(), "app");
        try (StatefulRedisConnection<String, String> c1 = ns.redisClient().connect();
             StatefulRedisConnection<String, String> c2 = ns.redisClient().connect()) {
            DataLossDetector a = new DataLossDetector(c1, key, Duration.ofSeconds(1), signal, metrics);
            DataLossDetector b = new DataLossDetector(c2, key, Duration.ofSeconds(1), signal, metrics);

            assertThat(a.check()).as("absent at start: unknown past, sweep").isTrue();
            assertThat(b.check()).as("b's first look").isFalse();
            assertThat(a.check()).isFalse();
            assertThat(ns.redis().sync().ttl(key)).isPositive();

            ns.redis().sync().flushall();
            assertThat(a.check()).isTrue();
            assertThat(b.check()).as("re-created by a: b recovers its keys too").isTrue();
            assertThat(b.check()).isFalse();
            assertThat(signal.epoch()).isEqualTo(3);
            assertThat(metrics.count("mtp.reconciler.data.loss")).isEqualTo(3);

            assumeThat(ns.redisServer()).as("a private redis-server").isPresent();
            ns.redisServer().orElseThrow().restart();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
                a.check();
                return true;
            });
            assertThat(signal.epoch()).isEqualTo(4);
        }
    }
}
