package dev.mtp.common.config;

import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.event.TopicRole;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Settings that several apps read, declared once. An app's table picks the groups it needs:
 *
 * <pre>{@code
 * ConfigTable.builder("cache-writer")
 *     .addAll(CommonConfigKeys.runtime(8091))
 *     .addAll(CommonConfigKeys.KAFKA).addAll(CommonConfigKeys.TOPICS)
 *     .add(CommonConfigKeys.REDIS_URL, CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION)
 *     .add(BATCH_SIZE)
 *     .build();
 * }</pre>
 */
public final class CommonConfigKeys {

    private CommonConfigKeys() {}

    private static final Pattern TOPIC_CHARS = Pattern.compile("[a-zA-Z0-9._-]*");
    private static final Pattern MONGO_DB_FORBIDDEN = Pattern.compile("[/\\\\. \"$*<>:|?\\x00]");

    // ---------------------------------------------------------------- servers

    public static final ConfigKey<List<HostPort>> KAFKA_BOOTSTRAP_SERVERS = ConfigKey.hostPorts("kafka.bootstrap.servers")
            .withDefault(HostPort.parseList("localhost:9092"))
            .withDoc("Kafka brokers to bootstrap from: comma-separated host:port list.");

    public static final ConfigKey<String> KAFKA_CONFIG_FILE = ConfigKey.string("kafka.config-file")
            .withDoc("Optional file of Kafka client properties (the Kafka client's own .properties format, e.g. "
                    + "security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location), passed to "
                    + "every Kafka client of the app: producers, consumers, admin clients, Kafka Streams. Settings "
                    + "the pipeline relies on (acks, idempotence, isolation, serializers, group and application ids, "
                    + "offset commits, bootstrap.servers) are refused. Logged at start with sasl.jaas.config and "
                    + "passwords masked (docs/security.md).");

    public static final ConfigKey<URI> REDIS_URL = ConfigKey.uri("redis.url", "redis", "rediss")
            .withDefault(URI.create("redis://127.0.0.1:6379"))
            .withDoc("Redis server: redis:// or rediss:// (TLS) URI, optionally with a database number "
                    + "(redis://host:6379/0), an ACL user and password (redis://user:password@host:6379; "
                    + "redis://:password@host:6379 for the default user), masked in logs.");

    public static final ConfigKey<String> REDIS_TLS_CA_FILE = ConfigKey.string("redis.tls.ca-file")
            .withDoc("Optional PEM file of the certificate authorities that signed the Redis server's certificate, "
                    + "for a rediss:// URL whose server uses a private CA; unset = the JVM's default trust store.");

    public static final ConfigKey<URI> MONGODB_URI = ConfigKey.uri("mongodb.uri", "mongodb", "mongodb+srv")
            .withDefault(URI.create("mongodb://127.0.0.1:27017"))
            .withDoc("MongoDB connection string: mongodb:// or mongodb+srv://, with any driver options; "
                    + "credentials (mongodb://user:password@host/?authSource=admin) and TLS (tls=true) go here, "
                    + "and a password in it is masked in logs.");

    public static final ConfigKey<String> MONGODB_TLS_CA_FILE = ConfigKey.string("mongodb.tls.ca-file")
            .withDoc("Optional PEM file of the certificate authorities that signed the MongoDB server's certificate, "
                    + "for a mongodb.uri with tls=true whose server uses a private CA (the Java driver ignores "
                    + "tlsCAFile in the URI); unset = the JVM's default trust store.");

    public static final ConfigKey<String> MONGODB_DATABASE = ConfigKey.string("mongodb.database")
            .check("must be 1 to 63 characters without / \\ . space \" $ * < > : | ?",
                    s -> !s.isEmpty() && s.length() <= 63 && !MONGO_DB_FORBIDDEN.matcher(s).find())
            .withDefault("mtp")
            .withDoc("MongoDB database holding the sessions, interactions, evaluations and kvshadow collections.");

    // ---------------------------------------------------------------- process (runtime module)

    /** The ops HTTP port, without a default: each app declares its own with {@link #opsPort(int)}. */
    public static final ConfigKey<Integer> OPS_PORT = ConfigKey.integer("ops.port")
            .range(0, 65535)
            .required()
            .withDoc("Port of the ops HTTP server (/health/live, /health/ready, /metrics); 0 = any free port.");

    public static final ConfigKey<Duration> OPS_HEALTH_TIMEOUT_MS = ConfigKey.durationMs("ops.health-timeout-ms")
            .range(10, 60_000)
            .withDefault(Duration.ofMillis(2_000))
            .withDoc("Time each readiness check (Kafka, Redis, MongoDB) may take before it counts as down, in ms.");

    public static final ConfigKey<String> CONFIG_FILE = ConfigKey.string("app.config-file")
            .withDoc("Optional YAML (.yml/.yaml) or .properties file of settings, below system properties and "
                    + "environment variables. Read from the environment or a system property only.");

    public static final ConfigKey<Duration> STARTUP_TIMEOUT_MS = ConfigKey.durationMs("app.lifecycle.startup-timeout-ms")
            .range(100, 600_000)
            .withDefault(Duration.ofMillis(30_000))
            .withDoc("How long start-up waits for Kafka, Redis and MongoDB to answer (and new topics to be ready) "
                    + "before giving up, in ms.");

    public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT_MS = ConfigKey.durationMs("app.lifecycle.shutdown-timeout-ms")
            .range(100, 600_000)
            .withDefault(Duration.ofMillis(20_000))
            .withDoc("Time a graceful shutdown (SIGTERM) may take to finish work and close clients, in ms; keep it "
                    + "below the orchestrator's kill grace period.");

    // ---------------------------------------------------------------- topics

    public static final ConfigKey<String> TOPICS_PREFIX = ConfigKey.string("app.topics.prefix")
            .check("must use only letters, digits, '.', '_' and '-', at most 200 characters",
                    s -> s.length() <= 200 && TOPIC_CHARS.matcher(s).matches())
            .withDefault("mtp.")
            .withDoc("Prefix of every topic name of the pipeline, e.g. mtp. gives mtp.sessions.v1.");

    public static final ConfigKey<Integer> TOPICS_PARTITIONS = ConfigKey.integer("app.topics.partitions")
            .range(1, 10_000)
            .withDefault(6)
            .withDoc("Partitions of each persistence topic. All of them must have the same count: records are keyed "
                    + "by session id, and partitions bound how many instances of a writer share the work.");

    public static final ConfigKey<Integer> TOPICS_REPLICATION_FACTOR = ConfigKey.integer("app.topics.replication-factor")
            .range(1, Short.MAX_VALUE)
            .withDefault(1)
            .withDoc("Replication factor of topics the app creates; use 3 in production.");

    public static final ConfigKey<Boolean> TOPICS_CREATE = ConfigKey.bool("app.topics.create")
            .withDefault(true)
            .withDoc("Create missing topics at start-up; when false, missing topics are a start-up error.");

    public static final ConfigKey<Duration> TOPICS_SESSIONS_RETENTION_MS =
            retention(TopicRole.SESSIONS, Duration.ofDays(7), "the window a replay or a new consumer group reaches "
                    + "back; at least the longest cache TTL, so that the live cache can always be rebuilt from it");

    public static final ConfigKey<Duration> TOPICS_INTERACTIONS_RETENTION_MS =
            retention(TopicRole.INTERACTIONS, Duration.ofDays(7), "the window a replay or a new consumer group "
                    + "reaches back, as for sessions");

    public static final ConfigKey<Duration> TOPICS_EVALUATIONS_RETENTION_MS =
            retention(TopicRole.EVALUATIONS, Duration.ofDays(90), "longer than the event topics: analysts read and "
                    + "export it (ops-cli export evaluations)");

    public static final ConfigKey<Duration> TOPICS_DEADLETTER_RETENTION_MS =
            retention(TopicRole.DEAD_LETTER, Duration.ofDays(30), "long enough to look at a dead letter after a "
                    + "holiday and fix its cause (ops-cli dlq list)");

    private static ConfigKey<Duration> retention(TopicRole role, Duration defaultValue, String why) {
        return ConfigKey.durationMs("app.topics." + role.baseName() + ".retention-ms")
                .check("must be 0 (forever) or at least 3600000 ms (1 hour)", d -> d.isZero() || d.toHours() >= 1)
                .withDefault(defaultValue)
                .withDoc("How long the " + role.baseName() + " topic keeps records (Kafka's retention.ms), in ms: "
                        + why + ". 0 = forever. Set when a topic is created; ops-cli topics create reports an existing "
                        + "topic whose retention differs and sets it with --apply-retention.");
    }

    /** The retention key of a topic role. */
    public static ConfigKey<Duration> retention(TopicRole role) {
        return switch (role) {
            case SESSIONS -> TOPICS_SESSIONS_RETENTION_MS;
            case INTERACTIONS -> TOPICS_INTERACTIONS_RETENTION_MS;
            case EVALUATIONS -> TOPICS_EVALUATIONS_RETENTION_MS;
            case DEAD_LETTER -> TOPICS_DEADLETTER_RETENTION_MS;
        };
    }

    // ---------------------------------------------------------------- consumer groups of the writers

    public static final ConfigKey<String> MONGO_WRITER_GROUP_ID = ConfigKey.string("app.mongo-writer.group-id")
            .check("must not be blank", s -> !s.isBlank())
            .withDefault("mtp-mongo-writer")
            .withDoc("Kafka consumer group of mongo-writer; every instance of the group shares the partitions of the "
                    + "sessions, interactions and evaluations topics.");

    // ---------------------------------------------------------------- persistence (seed: Configuration)

    public static final ConfigKey<SessionCacheStrategy> PERSISTENCE_DEFAULT_SESSION_STRATEGY =
            ConfigKey.enumOf("app.persistence.default-session-strategy", SessionCacheStrategy.class)
                    .withDoc("Session cache strategy when a request names none, over the profile's (app.profile; "
                            + "unset = the profile's): NONE (MongoDB only), CRITICAL_ONLY (1 h TTL), WITH_CONTEXT "
                            + "(30 min), FULL_SESSION (15 min).");

    public static final ConfigKey<InteractionCacheStrategy> PERSISTENCE_DEFAULT_INTERACTION_STRATEGY =
            ConfigKey.enumOf("app.persistence.default-interaction-strategy", InteractionCacheStrategy.class)
                    .withDoc("Interaction cache strategy when a request names none, over the profile's (app.profile; "
                            + "unset = the profile's): NONE (MongoDB only), RESPONSE_ONLY (30 min TTL), WITH_CONTEXT "
                            + "(15 min), FULL_INTERACTION (5 min).");

    public static final ConfigKey<String> PERSISTENCE_EVALUATION_STORAGE =
            ConfigKey.choice("app.persistence.evaluation-storage", "mongodb-only")
                    .withDefault("mongodb-only")
                    .withDoc("Where evaluations are stored; mongodb-only is the only supported value "
                            + "(evaluations are never cached in Redis).");

    public static final ConfigKey<Boolean> PERSISTENCE_CACHE_COMPRESSION =
            ConfigKey.bool("app.persistence.cache-compression")
                    .withDefault(true)
                    .withDoc("Compress cached values in Redis above app.cache.compression-threshold-bytes (raw deflate "
                            + "with a preset dictionary; readers recognise either form, so it can be switched any time).");

    // ---------------------------------------------------------------- sync (seed: Configuration)

    public static final ConfigKey<Duration> SYNC_ASYNC_TIMEOUT_MS = ConfigKey.durationMs("app.sync.async-timeout-ms")
            .range(1, 600_000)
            .withDefault(Duration.ofMillis(2_000))
            .withDoc("Time an asynchronous write (Kafka send, cache fast path) may take before it fails, in ms.");

    public static final ConfigKey<Integer> SYNC_MAX_ASYNC_THREADS = ConfigKey.integer("app.sync.max-async-threads")
            .range(1, 1_024)
            .withDefault(10)
            .withDoc("Threads for asynchronous writes.");

    // ---------------------------------------------------------------- consume loop (writers)

    public static final ConfigKey<Integer> CONSUME_MAX_POLL_RECORDS = ConfigKey.integer("app.consume.max-poll-records")
            .range(1, 100_000)
            .withDefault(1_000)
            .withDoc("Most records one poll returns, so the largest batch a writer writes at once.");

    public static final ConfigKey<Duration> CONSUME_RETRY_INITIAL_MS = ConfigKey.durationMs("app.consume.retry-initial-ms")
            .range(1, 60_000)
            .withDefault(Duration.ofMillis(200))
            .withDoc("First wait before retrying a batch after a transient store failure, in ms; doubles per retry.");

    public static final ConfigKey<Duration> CONSUME_RETRY_MAX_MS = ConfigKey.durationMs("app.consume.retry-max-ms")
            .range(1, 600_000)
            .withDefault(Duration.ofMillis(10_000))
            .withDoc("Longest wait between retries of a batch while the store is down, in ms. Retries go on until "
                    + "the store is back: nothing is skipped.");

    // ---------------------------------------------------------------- incarnations (writers, reconciler)

    public static final ConfigKey<Duration> INCARNATION_CHECK_INTERVAL_MS =
            ConfigKey.durationMs("app.incarnation.check-interval-ms")
                    .range(1_000, 3_600_000)
                    .withDefault(Duration.ofSeconds(10))
                    .withDoc("How often the app checks, in ms, that the topics it consumes were not recreated under "
                            + "it and that no other Kafka cluster took its stores over; either stops the app with a "
                            + "message saying which (docs/decisions/0012).");

    // ---------------------------------------------------------------- cache (cache-store: cache-writer, ingest, reconciler)

    private static final Pattern KEY_PREFIX_CHARS = Pattern.compile("[A-Za-z0-9._:-]{0,64}");

    public static final ConfigKey<String> REDIS_MODE = ConfigKey.choice("redis.mode", "standalone", "cluster")
            .withDefault("standalone")
            .withDoc("standalone: redis.url is the one Redis server. cluster: redis.url is one seed node of a Redis "
                    + "Cluster; the topology is discovered from it. Every key of one session shares a hash slot.");

    public static final ConfigKey<String> CACHE_KEY_PREFIX = ConfigKey.string("app.cache.key-prefix")
            .check("must be at most 64 characters of A-Z a-z 0-9 . _ : -", s -> KEY_PREFIX_CHARS.matcher(s).matches())
            .withDefault("mtp:")
            .withDoc("Prefix of every Redis key of the pipeline, e.g. mtp: gives mtp:{session-123}:s. Every app that "
                    + "writes or reads the cache must use the same one (docs/decisions/0002).");

    public static final ConfigKey<Integer> CACHE_COMPRESSION_THRESHOLD_BYTES =
            ConfigKey.integer("app.cache.compression-threshold-bytes")
                    .range(0, 16 * 1024 * 1024)
                    .withDefault(256)
                    .withDoc("With app.persistence.cache-compression on, a cached value whose JSON body has at least "
                            + "this many bytes is stored deflated (kept only when smaller); 0 = compress every value.");

    public static final ConfigKey<Duration> CACHE_TOMBSTONE_TTL_MS = ConfigKey.durationMs("app.cache.tombstone-ttl-ms")
            .range(1_000, 86_400_000)
            .withDefault(Duration.ofMinutes(5))
            .withDoc("How long a removed key (strategy NONE, session deleted) keeps a small tombstone with its "
                    + "versions, in ms, so that a late write of older state (fast path, replay, repair) cannot "
                    + "recreate it. Longer protects against later stale writes and costs ~90 bytes per removed key.");

    public static final ConfigKey<Duration> CACHE_COMMAND_TIMEOUT_MS = ConfigKey.durationMs("app.cache.command-timeout-ms")
            .range(10, 600_000)
            .withDefault(Duration.ofMillis(5_000))
            .withDoc("Longest wait for Redis to answer a command (or a pipelined batch), in ms; then the write "
                    + "counts as failed and is retried (cache-writer) or given up (ingest fast path).");

    // ---------------------------------------------------------------- groups

    public static final List<ConfigKey<?>> KAFKA = List.of(KAFKA_BOOTSTRAP_SERVERS, KAFKA_CONFIG_FILE);

    public static final List<ConfigKey<?>> TOPICS = List.of(TOPICS_PREFIX, TOPICS_PARTITIONS,
            TOPICS_REPLICATION_FACTOR, TOPICS_CREATE, TOPICS_SESSIONS_RETENTION_MS, TOPICS_INTERACTIONS_RETENTION_MS,
            TOPICS_EVALUATIONS_RETENTION_MS, TOPICS_DEADLETTER_RETENTION_MS);

    public static final List<ConfigKey<?>> MONGODB = List.of(MONGODB_URI, MONGODB_TLS_CA_FILE, MONGODB_DATABASE);

    public static final List<ConfigKey<?>> PERSISTENCE = List.of(PERSISTENCE_DEFAULT_SESSION_STRATEGY,
            PERSISTENCE_DEFAULT_INTERACTION_STRATEGY, PERSISTENCE_EVALUATION_STORAGE, PERSISTENCE_CACHE_COMPRESSION);

    public static final List<ConfigKey<?>> SYNC = List.of(SYNC_ASYNC_TIMEOUT_MS, SYNC_MAX_ASYNC_THREADS);

    /** The Redis cache as cache-store reads it: add with {@link #REDIS_URL} and {@link #PERSISTENCE_CACHE_COMPRESSION}. */
    public static final List<ConfigKey<?>> CACHE = List.of(REDIS_TLS_CA_FILE, REDIS_MODE, CACHE_KEY_PREFIX,
            CACHE_COMPRESSION_THRESHOLD_BYTES, CACHE_TOMBSTONE_TTL_MS, CACHE_COMMAND_TIMEOUT_MS);

    public static final List<ConfigKey<?>> CONSUME =
            List.of(CONSUME_MAX_POLL_RECORDS, CONSUME_RETRY_INITIAL_MS, CONSUME_RETRY_MAX_MS);

    public static final List<ConfigKey<?>> INCARNATION = List.of(INCARNATION_CHECK_INTERVAL_MS);

    /** Every shared key, tolerated by default in every app's sources ({@link ConfigTable.Builder#knownElsewhere}). */
    public static final List<ConfigKey<?>> ALL = Stream.<List<ConfigKey<?>>>of(
                    List.of(CONFIG_FILE, OPS_PORT, OPS_HEALTH_TIMEOUT_MS, STARTUP_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS),
                    KAFKA, List.<ConfigKey<?>>of(REDIS_URL), CACHE, MONGODB, TOPICS, PERSISTENCE, SYNC, CONSUME, INCARNATION,
                    List.<ConfigKey<?>>of(MONGO_WRITER_GROUP_ID))
            .flatMap(List::stream).toList();

    /** {@link #OPS_PORT} with this app's default port. */
    public static ConfigKey<Integer> opsPort(int defaultPort) {
        return OPS_PORT.withDefault(defaultPort);
    }

    /**
     * The keys the runtime module's launcher reads, for every app: config file, ops port (with this app's default),
     * health-check timeout, start-up and shutdown timeouts.
     */
    public static List<ConfigKey<?>> runtime(int opsPortDefault) {
        return List.of(CONFIG_FILE, opsPort(opsPortDefault), OPS_HEALTH_TIMEOUT_MS, STARTUP_TIMEOUT_MS,
                SHUTDOWN_TIMEOUT_MS);
    }
}
