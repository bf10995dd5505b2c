package dev.mtp.cachestore;

import io.lettuce.core.SslOptions;

import java.nio.file.Path;
import java.util.Optional;

/** The TLS options of a {@code rediss://} connection: the JVM's trust store, or the CAs of {@code redis.tls.ca-file}. */
final class RedisTls {

    private RedisTls() {}

    static SslOptions options(Optional<Path> caFile) {
        SslOptions.Builder builder = SslOptions.builder().jdkSslProvider();
        caFile.ifPresent(file -> builder.trustManager(file.toFile()));
        return builder.build();
    }
}
