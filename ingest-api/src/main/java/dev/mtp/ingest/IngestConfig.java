package dev.mtp.ingest;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.http.AllowedHosts;
import dev.mtp.ingest.http.AllowedOrigins;
import dev.mtp.ingest.http.HttpsKeystore;
import dev.mtp.ingest.http.LocalNames;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Every setting of ingest-api, once: key, default, rule, doc. Rendered into docs/config/ingest-api.md, and checked, by IngestConfigDocumentedTest. */
public final class IngestConfig {
    private IngestConfig() {}

    // ---------------------------------------------------------------- HTTP

    public static final ConfigKey<String> HTTP_HOST = ConfigKey.string("http.host")
            .withDefault("0.0.0.0")
            .withDoc("Interface the API server binds to.");

    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("http.port")
            .range(0, 65535)
            .withDefault(8080)
            .withDoc("Port of the API server: MCP Streamable HTTP at /mcp, legacy SSE at /sse with messages at "
                    + "/mcp/message (which also answers the seed's bare calls), JSON API under /api/v1; 0 = any free port.");

    public static final ConfigKey<Integer> HTTP_MAX_THREADS = ConfigKey.integer("app.http.max-threads")
            .range(8, 10_000)
            .withDefault(64)
            .withDoc("Threads serving HTTP requests; each open SSE or Streamable HTTP stream holds none while idle.");

    public static final ConfigKey<Integer> MAX_BODY_BYTES = ConfigKey.integer("app.http.max-body-bytes")
            .range(1_024, 64 * 1024 * 1024)
            .withDefault(1024 * 1024)
            .withDoc("Largest request body accepted, in bytes; larger bodies get 413 (MCP: a JSON-RPC error).");

    public static final ConfigKey<Integer> MAX_BATCH_SIZE = ConfigKey.integer("app.http.max-batch-size")
            .range(1, 100_000)
            .withDefault(500)
            .withDoc("Most writes in one POST /api/v1/batch; the body limit applies too.");

    public static final ConfigKey<String> ALLOWED_ORIGINS = ConfigKey.string("app.http.allowed-origins")
            .withDefault("http://localhost:*,http://127.0.0.1:*,http://[::1]:*")
            .withDoc("Browser origins allowed to call the API (MCP's DNS-rebinding defence), comma-separated "
                    + "scheme://host[:port]; ':*' matches any numeric port, and origins are compared by scheme, host and "
                    + "port. Requests without an Origin header (curl, servers) are not affected.");

    public static final ConfigKey<String> ALLOWED_HOSTS = ConfigKey.string("app.http.allowed-hosts")
            .withDoc("Names this server answers to, checked against every request's Host header (the DNS-rebinding "
                    + "defence for requests without an Origin), comma-separated: host, host:port or host:* (a host alone: "
                    + "any port); * = any host. Unset: localhost, 127.0.0.1 and [::1], and when http.host is not a loopback "
                    + "address also this machine's host name and addresses (every interface's for 0.0.0.0). Other hosts "
                    + "get 421.");

    // ---------------------------------------------------------------- limits of one write

    public static final ConfigKey<Integer> MAX_MAP_DEPTH = ConfigKey.integer("app.limits.max-map-depth")
            .range(1, 32)
            .withDefault(InputLimits.DEFAULTS.maxMapDepth())
            .withDoc("Deepest nesting of context, metadata or evaluationData (the map itself is level 1).");

    public static final ConfigKey<Integer> MAX_MAP_BYTES = ConfigKey.integer("app.limits.max-map-bytes")
            .range(2, 16 * 1024 * 1024)
            .withDefault(InputLimits.DEFAULTS.maxMapBytes())
            .withDoc("Largest context, metadata or evaluationData, as compact JSON, in bytes.");

    public static final ConfigKey<Integer> MAX_KEY_LENGTH = ConfigKey.integer("app.limits.max-key-length")
            .range(1, 4_096)
            .withDefault(InputLimits.DEFAULTS.maxKeyLength())
            .withDoc("Longest key in context, metadata or evaluationData, in characters.");

    public static final ConfigKey<Integer> MAX_TEXT_CHARS = ConfigKey.integer("app.limits.max-text-chars")
            .range(1, 64 * 1024 * 1024)
            .withDefault(InputLimits.DEFAULTS.maxTextChars())
            .withDoc("Longest request or response text of an interaction, in characters.");

    // ---------------------------------------------------------------- publishing

    public static final ConfigKey<Duration> PUBLISH_TIMEOUT_MS = ConfigKey.durationMs("app.publish.timeout-ms")
            .range(100, 120_000)
            .withDefault(Duration.ofMillis(10_000))
            .withDoc("How long a write waits for Kafka's acknowledgement before it answers 503, in ms.");

    // ---------------------------------------------------------------- hybrid sync (with CommonConfigKeys.SYNC)

    public static final ConfigKey<Boolean> SYNC_FAST_PATH = ConfigKey.bool("app.sync.fast-path")
            .withDefault(true)
            .withDoc("Write the cache projection to Redis directly after the Kafka ack under normal load (the seed's "
                    + "hybrid sync), with cache-store's version-guarded writes (the same as cache-writer's); false = event "
                    + "path only. Needs redis.url.");

    public static final ConfigKey<Integer> SYNC_MAX_QUEUED_WRITES = ConfigKey.integer("app.sync.max-queued-writes")
            .range(0, 100_000)
            .withDefault(100)
            .withDoc("Direct writes that may wait for a fast-path thread; with every thread busy and this many "
                    + "waiting, the load is HIGH and writes skip to the event path.");

    public static final ConfigKey<Integer> SYNC_MAX_PUBLISH_BACKLOG = ConfigKey.integer("app.sync.max-publish-backlog")
            .range(1, 10_000_000)
            .withDefault(10_000)
            .withDoc("Sends not yet acknowledged by Kafka above which the load is HIGH and writes skip the direct write.");

    // ---------------------------------------------------------------- reads

    public static final ConfigKey<Boolean> READ_ENABLED = ConfigKey.bool("app.read.enabled")
            .withDefault(true)
            .withDoc("Serve reads (get_session, get_interaction, GET /api/v1/sessions|interactions/{id}): Redis first, "
                    + "MongoDB fallback. Needs redis.url and mongodb.uri; false = writes only (reads answer 501).");

    public static final ConfigKey<Duration> READ_TIMEOUT_MS = ConfigKey.durationMs("app.read.timeout-ms")
            .range(10, 60_000)
            .withDefault(Duration.ofMillis(1_000))
            .withDoc("Longest wait for each tier of a read, in ms: a slower Redis falls through to MongoDB, a slower "
                    + "MongoDB answers 503.");

    public static final ConfigKey<Duration> READ_WAIT_MS = ConfigKey.durationMs("app.read.wait-ms")
            .range(0, 60_000)
            .withDefault(Duration.ofMillis(2_000))
            .withDoc("Longest wait, in ms, for a read whose minVersion (or a Redis tombstone's version) neither tier "
                    + "has reached yet: both are asked again until then, after which the read answers 503 Not visible "
                    + "yet. 0 = answer at once (docs/decisions/0022).");

    // ---------------------------------------------------------------- profile and auth

    public static final ConfigKey<String> PROFILE = ConfigKey.choice("app.profile", StrategyProfile.configNames())
            .withDefault("development")
            .withDoc("The seed's environment profile: the cache strategies a write gets when it names none "
                    + "(development FULL_SESSION / WITH_CONTEXT, production WITH_CONTEXT / RESPONSE_ONLY, analytics "
                    + "NONE / NONE; app.persistence.default-* override them), and whether app.auth.mode=auto "
                    + "requires API keys (not in development).");

    public static final ConfigKey<String> AUTH_MODE = ConfigKey.choice("app.auth.mode", "auto", "off", "api-key")
            .withDefault("auto")
            .withDoc("auto: off in the development profile, api-key in production and analytics. api-key: every API "
                    + "request needs 'Authorization: Bearer <key>' or 'X-API-Key: <key>' (401 without, 403 for an "
                    + "unknown key). off: no check, in any profile (logged as a warning outside development). Ops "
                    + "endpoints are never checked.");

    public static final ConfigKey<String> API_KEYS = ConfigKey.string("app.auth.api-keys")
            .secret()
            .withDoc("Accepted API keys, comma-separated (at least 16 characters each); masked in logs.");

    // ---------------------------------------------------------------- usage measurement (docs/decisions/0015)

    public static final ConfigKey<Boolean> USAGE_ENABLED = ConfigKey.bool("app.usage.enabled")
            .withDefault(true)
            .withDoc("Measure reads and writes per entity type and strategy for analyze_persistence_patterns and "
                    + "get_persistence_recommendations, stored in the MongoDB collection usage (needs mongodb.uri); "
                    + "false = neither tool is offered.");

    public static final ConfigKey<Integer> USAGE_SAMPLE_RATE_PPM = ConfigKey.integer("app.usage.sample-rate-ppm")
            .range(1, 1_000_000)
            .withDefault(1_000)
            .withDoc("Share of keys sampled (SHARDS: hash(key) mod 2^24 below the threshold) for reuse times, in "
                    + "parts per million; the sampler lowers it when more than app.usage.max-sampled-keys are sampled.");

    public static final ConfigKey<Integer> USAGE_MAX_SAMPLED_KEYS = ConfigKey.integer("app.usage.max-sampled-keys")
            .range(16, 1_000_000)
            .withDefault(8_192)
            .withDoc("Most keys the sampler tracks; its memory stays below 2 x 17 x (power of two >= 2 x this) + "
                    + "8 x this bytes (608 KiB at 8,192).");

    public static final ConfigKey<Duration> USAGE_BUCKET_MS = ConfigKey.durationMs("app.usage.bucket-ms")
            .range(1_000, 3_600_000)
            .withDefault(Duration.ofMinutes(5))
            .withDoc("How often each instance writes its usage aggregates to MongoDB, in ms: the analysis sees "
                    + "usage this late at most.");

    public static final ConfigKey<Duration> USAGE_RETENTION_MS = ConfigKey.durationMs("app.usage.retention-ms")
            .range(3_600_000, 90L * 24 * 3_600_000)
            .withDefault(Duration.ofDays(7))
            .withDoc("How long usage buckets are kept, in ms: also the longest analysis window.");

    public static final ConfigKey<Integer> USAGE_SCAN_MAX_KEYS = ConfigKey.integer("app.usage.scan-max-keys")
            .range(0, 10_000_000)
            .withDefault(10_000)
            .withDoc("Most cache keys one analysis reads (SCAN) to measure keys, TTLs and bytes per strategy; "
                    + "0 = no key space scan.");

    public static final ConfigKey<Integer> USAGE_MEMORY_SAMPLES = ConfigKey.integer("app.usage.memory-samples")
            .range(0, 100_000)
            .withDefault(200)
            .withDoc("Most keys one analysis asks MEMORY USAGE of.");

    public static final ConfigTable TABLE = ConfigTable.builder("ingest-api")
            .addAll(CommonConfigKeys.runtime(8090))
            .add(HTTP_HOST, HTTP_PORT, HttpsKeystore.FILE, HttpsKeystore.PASSWORD, HTTP_MAX_THREADS, MAX_BODY_BYTES,
                    MAX_BATCH_SIZE, ALLOWED_ORIGINS, ALLOWED_HOSTS)
            .add(MAX_MAP_DEPTH, MAX_MAP_BYTES, MAX_KEY_LENGTH, MAX_TEXT_CHARS)
            .add(PUBLISH_TIMEOUT_MS)
            .addAll(CommonConfigKeys.SYNC)
            .add(SYNC_FAST_PATH, SYNC_MAX_QUEUED_WRITES, SYNC_MAX_PUBLISH_BACKLOG)
            .add(READ_ENABLED, READ_TIMEOUT_MS, READ_WAIT_MS)
            .add(PROFILE, AUTH_MODE, API_KEYS)
            .add(USAGE_ENABLED, USAGE_SAMPLE_RATE_PPM, USAGE_MAX_SAMPLED_KEYS, USAGE_BUCKET_MS, USAGE_RETENTION_MS,
                    USAGE_SCAN_MAX_KEYS, USAGE_MEMORY_SAMPLES)
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .add(CommonConfigKeys.REDIS_URL)
            .addAll(CommonConfigKeys.CACHE)
            .addAll(CommonConfigKeys.MONGODB)
            .addAll(CommonConfigKeys.PERSISTENCE)
            .build();

    public static InputLimits limits(Config config) {
        return new InputLimits(config.get(MAX_MAP_DEPTH), config.get(MAX_MAP_BYTES), config.get(MAX_KEY_LENGTH),
                config.get(MAX_TEXT_CHARS));
    }

    public static AllowedOrigins allowedOrigins(Config config) {
        try {
            return AllowedOrigins.parse(split(config.get(ALLOWED_ORIGINS)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ALLOWED_ORIGINS.name(), e.getMessage());
        }
    }

    /** The configured hosts, or by default the loopback names and, when bound beyond loopback, the machine's own. */
    public static AllowedHosts allowedHosts(Config config) {
        List<String> names = config.find(ALLOWED_HOSTS).map(IngestConfig::split)
                .orElseGet(() -> LocalNames.defaultAllowedHosts(config.get(HTTP_HOST)));
        try {
            return AllowedHosts.parse(names);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ALLOWED_HOSTS.name(), e.getMessage());
        }
    }

    public static StrategyProfile profile(Config config) {
        return StrategyProfile.fromConfigName(config.get(PROFILE));
    }

    /** The strategies of writes that name none: the profile's, each overridden by app.persistence.default-*. */
    public static StrategyDefaults strategyDefaults(Config config) {
        return StrategyDefaults.of(profile(config), config.find(CommonConfigKeys.PERSISTENCE_DEFAULT_SESSION_STRATEGY),
                config.find(CommonConfigKeys.PERSISTENCE_DEFAULT_INTERACTION_STRATEGY));
    }

    /**
     * The API keys to require, or empty for no check. Decided once at start: the mode, or with auto the profile (keys
     * outside development). Keys on without keys configured does not start.
     */
    public static List<String> apiKeys(Config config) {
        String mode = config.get(AUTH_MODE);
        boolean on = mode.equals("api-key") || (mode.equals("auto") && profile(config) != StrategyProfile.DEVELOPMENT);
        if (!on) {
            return List.of();
        }
        List<String> keys = config.find(API_KEYS).map(IngestConfig::split).orElse(List.of());
        if (keys.isEmpty()) {
            throw new ConfigException(API_KEYS.name(), "is required when API keys are on (app.auth.mode=api-key, or "
                    + "auto with app.profile=" + config.get(PROFILE) + "); app.auth.mode=off turns them off");
        }
        if (keys.stream().anyMatch(key -> key.length() < 16)) {
            throw new ConfigException(API_KEYS.name(), "every key must have at least 16 characters");
        }
        return keys;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
