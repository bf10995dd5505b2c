package dev.mtp.cachestore;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and use the cache; every field is one setting of {@link CommonConfigKeys#CACHE} (plus
 * {@code redis.url} and {@code app.persistence.cache-compression}), so every app reads them the same way.
 */
public record CacheStoreSettings(URI redisUrl, Optional<Path> tlsCaFile, boolean cluster, String keyPrefix, boolean compression,
                                 int compressionThreshold, Duration tombstoneTtl, Duration commandTimeout) {

    public CacheStoreSettings {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(tlsCaFile, "tlsCaFile");
        new CacheKeys(keyPrefix);
        Objects.requireNonNull(tombstoneTtl, "tombstoneTtl");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    public static CacheStoreSettings from(Config config) {
        return new CacheStoreSettings(config.get(CommonConfigKeys.REDIS_URL),
                config.find(CommonConfigKeys.REDIS_TLS_CA_FILE).map(Path::of),
                config.get(CommonConfigKeys.REDIS_MODE).equals("cluster"),
                config.get(CommonConfigKeys.CACHE_KEY_PREFIX),
                config.get(CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION),
                config.get(CommonConfigKeys.CACHE_COMPRESSION_THRESHOLD_BYTES),
                config.get(CommonConfigKeys.CACHE_TOMBSTONE_TTL_MS),
                config.get(CommonConfigKeys.CACHE_COMMAND_TIMEOUT_MS));
    }

    /** The defaults of the config table with this Redis and key prefix (tests, benchmarks). */
    public static CacheStoreSettings defaults(URI redisUrl, String keyPrefix) {
        return new CacheStoreSettings(redisUrl, Optional.empty(), false, keyPrefix,
                CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION.defaultValue().orElseThrow(),
                CommonConfigKeys.CACHE_COMPRESSION_THRESHOLD_BYTES.defaultValue().orElseThrow(),
                CommonConfigKeys.CACHE_TOMBSTONE_TTL_MS.defaultValue().orElseThrow(),
                CommonConfigKeys.CACHE_COMMAND_TIMEOUT_MS.defaultValue().orElseThrow());
    }

    /** Trusts the CAs of this PEM file for a {@code rediss://} URL. */
    public CacheStoreSettings withTlsCaFile(Path caFile) {
        return new CacheStoreSettings(redisUrl, Optional.of(caFile), cluster, keyPrefix, compression,
                compressionThreshold, tombstoneTtl, commandTimeout);
    }

    public CacheStoreSettings withCluster(boolean cluster) {
        return new CacheStoreSettings(redisUrl, tlsCaFile, cluster, keyPrefix, compression, compressionThreshold, tombstoneTtl,
                commandTimeout);
    }

    public CacheStoreSettings withCompression(boolean compression) {
        return new CacheStoreSettings(redisUrl, tlsCaFile, cluster, keyPrefix, compression, compressionThreshold, tombstoneTtl,
                commandTimeout);
    }

    public CacheStoreSettings withTombstoneTtl(Duration tombstoneTtl) {
        return new CacheStoreSettings(redisUrl, tlsCaFile, cluster, keyPrefix, compression, compressionThreshold, tombstoneTtl,
                commandTimeout);
    }

    public CacheStoreSettings withCommandTimeout(Duration commandTimeout) {
        return new CacheStoreSettings(redisUrl, tlsCaFile, cluster, keyPrefix, compression, compressionThreshold, tombstoneTtl,
                commandTimeout);
    }

    public CacheKeys keys() {
        return new CacheKeys(keyPrefix);
    }

    public ValueCodec codec() {
        return new ValueCodec(compression, compressionThreshold);
    }
}
