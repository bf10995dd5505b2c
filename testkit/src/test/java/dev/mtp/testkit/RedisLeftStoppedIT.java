package dev.mtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A fault test that forgets to start Redis again must not break the tests after it. */
@RealServers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisLeftStoppedIT {

    @Test
    @Order(1)
    void stopsTheSharedRedisAndLeavesItStopped(TestNamespace ns) {
        assumeThat(ns.redisServer()).as("a private redis-server (REDIS_URL unset)").isPresent();
        ns.redisServer().orElseThrow().stop();
    }

    @Test
    @Order(2)
    void theNextTestFindsItRunning(TestNamespace ns) {
        assumeThat(ns.redisServer()).as("a private redis-server (REDIS_URL unset)").isPresent();
        assertThat(ns.redisServer().orElseThrow().isRunning()).isTrue();
        assertThat(ns.redis().sync().ping()).isEqualTo("PONG");
    }
}
