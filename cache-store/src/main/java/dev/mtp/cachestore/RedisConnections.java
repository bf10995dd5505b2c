package dev.mtp.cachestore;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.ops.HealthCheck;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.File;

/**
 * Opens the app's Redis client from {@code redis.url} (trusting {@code redis.tls.ca-file} when set), waits until Redis answers PING and registers
 * that as a readiness check. Callers connect with the codec they need.
 */
public final class RedisConnections {
    private RedisConnections() {}

    public static RedisClient open(AppContext ctx) throws InterruptedException {
        RedisURI uri = ctx.convert(CommonConfigKeys.REDIS_URL, url -> RedisURI.create(url.toString()));
        RedisClient client = ctx.open("redis-client", RedisClient.create(uri), RedisClient::shutdown);
        ctx.config().find(CommonConfigKeys.REDIS_TLS_CA_FILE).ifPresent(caFile -> client.setOptions(
                ClientOptions.builder().sslOptions(SslOptions.builder().trustManager(new File(caFile)).build()).build()));
        StatefulRedisConnection<String, String> probe = ctx.open("redis-health-connection", client.connect());
        HealthCheck ping = HealthCheck.of("redis", () -> probe.sync().ping());
        ctx.awaitHealthy(ping);
        ctx.addHealthCheck(ping);
        return client;
    }
}
