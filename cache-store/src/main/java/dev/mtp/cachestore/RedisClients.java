package dev.mtp.cachestore;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * A plain Lettuce client for the cache's Redis, for the few uses beside {@link RedisCacheStore} (key-space scans,
 * compare-and-set repairs): {@code redis.url} with its ACL user and password, and {@code redis.tls.ca-file} trusted
 * for a {@code rediss://} URL, as every other connection of the pipeline.
 */
public final class RedisClients {

    private RedisClients() {}

    /** A standalone client; the caller connects with the codec it needs and shuts the client down. */
    public static RedisClient standalone(CacheStoreSettings settings) {
        RedisClient client = RedisClient.create(RedisURI.create(settings.redisUrl()));
        client.setOptions(ClientOptions.builder().sslOptions(RedisTls.options(settings.tlsCaFile())).build());
        return client;
    }
}
