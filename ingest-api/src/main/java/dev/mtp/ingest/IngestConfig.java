package dev.mtp.ingest;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;

import java.time.Duration;

/** Every setting of ingest-api, once: key, default, rule, doc. Rendered into README.md by ops-cli config-docs. */
public final class IngestConfig {
    private IngestConfig() {}

    public static final ConfigKey<String> HTTP_HOST = ConfigKey.string("http.host")
            .withDefault("0.0.0.0")
            .withDoc("Interface the API server binds to.");

    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("http.port")
            .range(0, 65535)
            .withDefault(8080)
            .withDoc("Port of the API server (MCP at /mcp and /mcp/message, JSON API under /api); 0 = any free port.");

    public static final ConfigKey<Integer> MAX_BODY_BYTES = ConfigKey.integer("app.http.max-body-bytes")
            .range(1_024, 64 * 1024 * 1024)
            .withDefault(1024 * 1024)
            .withDoc("Largest request body accepted, in bytes; larger bodies get 413.");

    public static final ConfigKey<Duration> PUBLISH_TIMEOUT_MS = ConfigKey.durationMs("app.publish.timeout-ms")
            .range(100, 120_000)
            .withDefault(Duration.ofMillis(10_000))
            .withDoc("How long a write waits for Kafka's acknowledgement before it answers 503, in ms.");

    public static final ConfigTable TABLE = ConfigTable.builder("ingest-api")
            .addAll(CommonConfigKeys.runtime(8090))
            .add(HTTP_HOST, HTTP_PORT, MAX_BODY_BYTES, PUBLISH_TIMEOUT_MS)
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .addAll(CommonConfigKeys.PERSISTENCE)
            .build();
}
