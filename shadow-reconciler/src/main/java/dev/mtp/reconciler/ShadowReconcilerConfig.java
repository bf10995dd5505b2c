package dev.mtp.reconciler;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.reconciler.check.CheckKeys;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.topology.CheckSettings;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of shadow-reconciler, once (docs/config/shadow-reconciler.md is generated from this table and kept
 * equal to it by a test). The pacing keys are explained in docs/decisions/0005-shadow-reconciler.md.
 */
public final class ShadowReconcilerConfig {
    private ShadowReconcilerConfig() {}

    public static final ConfigKey<String> STATE_DIR = ConfigKey.string("app.reconciler.state-dir")
            .check("must not be empty", s -> !s.isBlank())
            .withDefault("state")
            .withDoc("Directory of the local state stores (RocksDB), relative to the working directory unless "
                    + "absolute. Keep it across restarts: a restarted instance then resumes from it and only restores "
                    + "the changelog written since its last checkpoint.");

    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.string("app.reconciler.instance-id")
            .check("must be 1 to 200 characters of A-Z a-z 0-9 . _ -",
                    s -> ShadowStore.STREAMS_ID.matcher(s).matches())
            .withDoc("Stable id of this instance, e.g. the pod name of a StatefulSet: static group membership, so a "
                    + "restarted instance takes its partitions (and their local state) back at once instead of after "
                    + "the session timeout. Unset = dynamic membership.");

    public static final ConfigKey<Long> MEMTABLE_BYTES = ConfigKey.longInteger("app.reconciler.rocksdb-memtable-bytes")
            .range(64 * 1024, 1024L * 1024 * 1024)
            .withDefault(16L * 1024 * 1024)
            .withDoc("RocksDB write buffer of each state store, in bytes (Kafka Streams' default: 16 MiB). Changes "
                    + "and changelog offsets reach disk when a buffer is flushed, so after a crash (kill -9) an "
                    + "instance restores from the changelog what its unflushed buffers held, at most 3 buffers per "
                    + "store; smaller buffers mean a shorter restore and more compaction.");

    public static final ConfigKey<Long> STATE_CACHE_BYTES = ConfigKey.longInteger("app.reconciler.state-cache-bytes")
            .range(0, 1024L * 1024 * 1024)
            .withDefault(10L * 1024 * 1024)
            .withDoc("Kafka Streams' record cache in front of the kvshadow store, in bytes, shared by this "
                    + "instance's stream threads (statestore.cache.max.bytes). Changes of a key within a commit "
                    + "interval (a session's events, its check done) reach RocksDB and the changelog topic once, "
                    + "at the commit or when the cache is full; at-least-once is kept, since offsets are committed "
                    + "only after the cache is flushed. 0 = every change is written through at once.");

    public static final ConfigKey<Integer> STREAM_THREADS = ConfigKey.integer("app.reconciler.stream-threads")
            .range(1, 64)
            .withDefault(1)
            .withDoc("Kafka Streams threads of this instance; each runs the tasks (partitions) it owns, with their "
                    + "checks.");

    public static final ConfigKey<Duration> COMMIT_INTERVAL_MS = ConfigKey.durationMs("app.reconciler.commit-interval-ms")
            .range(100, 600_000)
            .withDefault(Duration.ofMillis(10_000))
            .withDoc("How often input offsets are committed and the stores flushed, in ms. Each commit flushes "
                    + "RocksDB to disk, so short intervals slow the fold down; a crashed instance re-reads what came "
                    + "after the last commit, which is harmless (the fold skips events it already applied).");

    public static final ConfigKey<Duration> SWEEP_PERIOD_MS = ConfigKey.durationMs("app.reconciler.sweep-period-ms")
            .range(1_000, 86_400_000)
            .withDefault(Duration.ofMinutes(10))
            .withDoc("Every key of the shadow is checked once per period, in ms, paced evenly over the period "
                    + "(the slow full sweep that catches drift no event points at, e.g. a key deleted by hand).");

    public static final ConfigKey<Integer> MAX_CHECKS_PER_SECOND = ConfigKey.integer("app.reconciler.max-checks-per-second")
            .range(1, 10_000_000)
            .withDefault(5_000)
            .withDoc("Most keys this instance reads from Redis per second for targeted checks and the sweep; "
                    + "the rate shrinks below this while Redis answers slower than app.reconciler.yield-latency-ms.");

    public static final ConfigKey<Integer> RECOVERY_CHECKS_PER_SECOND =
            ConfigKey.integer("app.reconciler.recovery-checks-per-second")
                    .range(1, 10_000_000)
                    .withDefault(100_000)
                    .withDoc("Most keys per second checked (and repaired) by the recovery sweep that starts when "
                            + "Redis lost data (flushed or restarted empty); also yields to slow Redis answers.");

    public static final ConfigKey<Duration> YIELD_LATENCY_MS = ConfigKey.durationMs("app.reconciler.yield-latency-ms")
            .range(1, 60_000)
            .withDefault(Duration.ofMillis(100))
            .withDoc("Yield to live traffic: when Redis takes longer than this to answer one pipelined round of "
                    + "reads (app.reconciler.batch-size keys), in ms, the check rate is halved; it grows back by a "
                    + "tenth of its ceiling per faster round (AIMD).");

    public static final ConfigKey<Boolean> REPAIR = ConfigKey.bool("app.reconciler.repair")
            .withDefault(true)
            .withDoc("true: fix the drift found. false: only count and record it (Redis is read, never written).");

    public static final ConfigKey<Duration> CANARY_INTERVAL_MS = ConfigKey.durationMs("app.reconciler.canary-interval-ms")
            .range(50, 600_000)
            .withDefault(Duration.ofMillis(1_000))
            .withDoc("How often the canary key is read, in ms. The canary is a key only the reconciler writes; "
                    + "when it is gone, Redis lost data (FLUSHALL, restart without persistence, failover to an "
                    + "empty replica) and a recovery sweep of every key starts at once.");

    public static final ConfigKey<Duration> ABSENT_RETENTION_MS = ConfigKey.durationMs("app.reconciler.absent-retention-ms")
            .range(0, 86_400_000)
            .withDefault(Duration.ofMinutes(10))
            .withDoc("How long the shadow keeps an interaction or latest-response key after it should be gone "
                    + "(expired, strategy NONE, session deleted), in ms, so that a late reappearance is still found "
                    + "and removed. Session entries are kept for good: they hold the state later events build on.");

    public static final ConfigKey<Boolean> TRACKING = ConfigKey.bool("app.reconciler.tracking")
            .withDefault(true)
            .withDoc("Record every check in the MongoDB collection kvshadow (per key: desired and last verified "
                    + "versions, last check, repairs and why).");

    public static final ConfigKey<Duration> TRACKING_FLUSH_MS = ConfigKey.durationMs("app.reconciler.tracking-flush-ms")
            .range(10, 600_000)
            .withDefault(Duration.ofMillis(1_000))
            .withDoc("How often pending kvshadow records are written to MongoDB in one unordered bulk write, in ms. "
                    + "Several checks of one key in between become one write.");

    public static final ConfigKey<Duration> TRACKING_HOLD_MS = ConfigKey.durationMs("app.reconciler.tracking-hold-ms")
            .range(0, 3_600_000)
            .withDefault(Duration.ofMillis(30_000))
            .withDoc("How long a kvshadow record that only says its key was found consistent may wait before it is "
                    + "written, in ms: later checks of the key meanwhile become the same write (a key of an active "
                    + "session is checked every few seconds at peak load). Records with drift, repairs or a removed "
                    + "key are written at the next flush. 0 = every record at the next flush.");

    public static final ConfigKey<Integer> TRACKING_MAX_PENDING = ConfigKey.integer("app.reconciler.tracking-max-pending")
            .range(100, 10_000_000)
            .withDefault(500_000)
            .withDoc("Most keys with a kvshadow record waiting to be written; beyond it, records are dropped (and "
                    + "counted) rather than slowing the checks: tracking is for ops, Redis is what must converge.");

    public static final ConfigKey<Duration> CONSISTENCY_WINDOW_MS =
            ConfigKey.durationMs("app.reconciler.consistency-window-ms")
                    .range(1_000, 86_400_000)
                    .withDefault(Duration.ofMinutes(5))
                    .withDoc("Window of the consistency ratio gauge (checked keys that matched / checked keys, per "
                            + "strategy), in ms.");

    /** The reconciler's own keys, for tests and ops-cli. */
    public static final List<ConfigKey<?>> RECONCILER = List.of(ShadowStore.APPLICATION_ID_KEY, INSTANCE_ID, STATE_DIR,
            MEMTABLE_BYTES, STATE_CACHE_BYTES, STREAM_THREADS, COMMIT_INTERVAL_MS, CheckKeys.CHECK_DELAY_MS,
            SWEEP_PERIOD_MS, MAX_CHECKS_PER_SECOND, RECOVERY_CHECKS_PER_SECOND, YIELD_LATENCY_MS, CheckKeys.BATCH_SIZE,
            CheckKeys.TTL_TOLERANCE_MS, REPAIR, CANARY_INTERVAL_MS, ABSENT_RETENTION_MS, TRACKING, TRACKING_FLUSH_MS,
            TRACKING_HOLD_MS, TRACKING_MAX_PENDING, CONSISTENCY_WINDOW_MS);

    public static final ConfigTable TABLE = ConfigTable.builder("shadow-reconciler")
            .addAll(CommonConfigKeys.runtime(8093))
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .add(CommonConfigKeys.REDIS_URL, CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION)
            .addAll(CommonConfigKeys.CACHE)
            .addAll(CommonConfigKeys.MONGODB)
            .addAll(CommonConfigKeys.INCARNATION)
            .addAll(RECONCILER)
            .build();

    /** How the stream threads pace their checks, as configured. */
    public static CheckSettings checkSettings(Config config) {
        return new CheckSettings(config.get(CheckKeys.CHECK_DELAY_MS),
                config.get(SWEEP_PERIOD_MS),
                config.get(MAX_CHECKS_PER_SECOND),
                config.get(RECOVERY_CHECKS_PER_SECOND),
                config.get(CheckKeys.BATCH_SIZE),
                config.get(REPAIR),
                config.get(ABSENT_RETENTION_MS),
                CheckSettings.RETRY_BACKOFF, CheckSettings.TICK, CheckSettings.TICK_BUDGET,
                CheckSettings.RECOVERY_TICK_BUDGET);
    }
}
