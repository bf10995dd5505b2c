package dev.mtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.mtp.embedded.RedisServerProcess;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;

@RealServers
class RedisIT {

    @Test
    void setWithTtlIsReadBackWithItsExpiry(TestNamespace ns) {
        RedisCommands<String, String> redis = ns.redis().sync();
        String key = ns.redisKey("session:1");

        assertThat(redis.set(key, "{\"status\":\"ACTIVE\"}", SetArgs.Builder.px(Duration.ofMinutes(30).toMillis())))
                .isEqualTo("OK");

        assertThat(redis.get(key)).isEqualTo("{\"status\":\"ACTIVE\"}");
        assertThat(redis.pttl(key)).isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
    }

    @Test
    void shortTtlExpires(TestNamespace ns) {
        RedisCommands<String, String> redis = ns.redis().sync();
        String key = ns.redisKey("short");
        redis.set(key, "v", SetArgs.Builder.px(100));

        await().atMost(Duration.ofSeconds(5)).until(() -> redis.exists(key) == 0);
    }

    @Test
    void privateRedisRestartsOnItsPortEmptyAndTheClientReconnects(TestNamespace ns) {
        assumeThat(ns.redisServer()).as("a private redis-server (REDIS_URL unset)").isPresent();
        RedisServerProcess server = ns.redisServer().orElseThrow();
        RedisCommands<String, String> redis = ns.redis().sync();
        String key = ns.redisKey("before-restart");
        redis.set(key, "v");

        server.restart();

        assertThat(ns.redisUrl()).isEqualTo(server.url());
        // Lettuce reconnects by itself; the data is gone because the private server persists nothing.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "PONG".equals(redis.ping()));
        assertThat(redis.exists(key)).isZero();
    }
}
