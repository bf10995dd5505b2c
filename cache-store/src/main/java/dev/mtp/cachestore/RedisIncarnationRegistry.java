package dev.mtp.cachestore;

import dev.mtp.common.version.Incarnation;
import dev.mtp.common.incarnation.IncarnationRegistry;
import dev.mtp.common.incarnation.Registration;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisHashCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Instant;
import java.util.Optional;

/**
 * The incarnation registry in Redis (docs/decisions/0012): the hash {@code <prefix>incarnations}, one field per topic,
 * {@code <tag>|<cluster id>|<epoch ms>|<app>}. It has no TTL; a registry lost with the data (FLUSHALL, a restart
 * without persistence) is written again by the apps' next check. Its own small connection: the cache store's
 * connection pipelines by hand.
 */
public final class RedisIncarnationRegistry implements IncarnationRegistry, AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisHashCommands<String, String> commands;
    private final String key;

    private RedisIncarnationRegistry(AbstractRedisClient client, StatefulConnection<String, String> connection,
                                     RedisHashCommands<String, String> commands, String key) {
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.key = key;
    }

    public static RedisIncarnationRegistry open(CacheStoreSettings settings) {
        RedisURI uri = RedisURI.create(settings.redisUrl());
        uri.setTimeout(settings.commandTimeout());
        String key = settings.keyPrefix() + "incarnations";
        if (settings.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(uri);
            cluster.setOptions(ClusterClientOptions.builder().sslOptions(RedisTls.options(settings.tlsCaFile())).build());
            StatefulRedisClusterConnection<String, String> c = cluster.connect();
            return new RedisIncarnationRegistry(cluster, c, c.sync(), key);
        }
        RedisClient standalone = RedisClient.create(uri);
        standalone.setOptions(ClientOptions.builder().sslOptions(RedisTls.options(settings.tlsCaFile())).build());
        StatefulRedisConnection<String, String> c = standalone.connect();
        return new RedisIncarnationRegistry(standalone, c, c.sync(), key);
    }

    @Override
    public String store() {
        return "redis";
    }

    @Override
    public Optional<Registration> read(String topic) {
        String value = commands.hget(key, topic);
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\\|", 4);
        if (parts.length < 4) {
            return Optional.empty(); // not of this layout: written again by the caller
        }
        return Optional.of(new Registration(Incarnation.parse(parts[0]), parts[1],
                Instant.ofEpochMilli(Long.parseLong(parts[2])), parts[3]));
    }

    @Override
    public void register(String topic, Registration r) {
        commands.hset(key, topic, r.incarnation().tag() + "|" + r.clusterId() + "|" + r.since().toEpochMilli()
                + "|" + r.app());
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
