package dev.mtp.ops;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisClients;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.config.Config;
import dev.mtp.ops.run.Progress;
import dev.mtp.reconciler.check.CachePort;
import dev.mtp.reconciler.check.CheckKeys;
import dev.mtp.reconciler.check.CheckOutcome;
import dev.mtp.reconciler.check.CheckRunner;
import dev.mtp.reconciler.check.CheckSource;
import dev.mtp.reconciler.check.ConsumedIncarnations;
import dev.mtp.reconciler.check.DriftJudge;
import dev.mtp.reconciler.check.DriftKind;
import dev.mtp.reconciler.check.RepairOutcome;
import dev.mtp.reconciler.check.RepairPlanner;
import dev.mtp.reconciler.redis.CacheStorePort;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.reconciler.check.SyncTracking;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "shadow", description = "The shadow reconciler's desired state of every cache key (KVShadow).",
        subcommands = ShadowCommand.Check.class)
final class ShadowCommand {

    /** Exit code when drift was found and not (all) repaired. */
    static final int DRIFT = 3;

    @Command(name = "check", description = {
            "Compare every key of KVShadow (read from the reconciler's changelog topic) with Redis and report drift by "
                    + "kind: missing, stale, other_incarnation (a value written in another life of its topic), ttl, "
                    + "value, unwanted. Redis is only read.",
            "With --repair, fix the drift as the reconciler does: cache-store's version-guarded writes, and a "
                    + "compare-and-set for drift at the versions Redis holds, so nothing newer is ever overwritten. "
                    + "A value of another incarnation is replaced only from an entry of the incarnations the cluster "
                    + "has now.",
            "Keys changed within app.reconciler.check-delay-ms are left to the reconciler (shown as pending).",
            "Exit code 0: consistent (or everything repaired); 3: drift remains; 1: error."})
    static final class Check implements Callable<Integer> {

        @Option(names = "--repair", description = "Repair the drift found (default: report only).")
        boolean repair;

        @Option(names = "--show", defaultValue = "10", paramLabel = "N",
                description = "List up to N drifted keys (default: ${DEFAULT-VALUE}).")
        int show;

        @Override
        public Integer call() throws Exception {
            Config config = OpsCli.config();
            String topic = ShadowStore.changelog(ShadowStore.applicationId(config));
            Map<String, ShadowEntry> shadow = ShadowChangelog.read(KafkaClients.common(config, "shadow-check"), topic);
            // What the reconciler consumes now: the topics' incarnations on the cluster (docs/decisions/0012).
            ConsumedIncarnations consumed = ConsumedIncarnations.of(PipelineTopics.of(config),
                    ClusterIncarnations.resolve(config));
            CacheStoreSettings cache = CacheStoreSettings.from(config);
            Report report = new Report(shadow.size(), topic, repair, consumed);
            RedisClient client = RedisClients.standalone(cache);
            try (RedisCacheStore store = RedisCacheStore.open(cache, Clock.systemUTC());
                 StatefulRedisConnection<String, byte[]> cas = repair && !cache.cluster()
                         ? client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)) : null) {
                CheckRunner runner = new CheckRunner(new CacheStorePort(store, cas, cache.commandTimeout()),
                        new DriftJudge(config.get(CheckKeys.TTL_TOLERANCE_MS).toMillis()),
                        new RepairPlanner(cache.codec(), cache.tombstoneTtl().toMillis(), consumed),
                        ReconcilerMetrics.inMemory(), SyncTracking.NONE);
                check(shadow, runner, config, report, sessionVersions(shadow, cache.keys()));
            } finally {
                client.shutdown();
            }
            report.print(System.out, show);
            return report.driftRemains() ? DRIFT : 0;
        }

        private static CheckRunner.SessionVersions sessionVersions(Map<String, ShadowEntry> shadow, CacheKeys keys) {
            return new CheckRunner.SessionVersions() {
                @Override
                public String sessionKey(String sessionId) {
                    return keys.session(sessionId);
                }

                @Override
                public VersionVector versions(String sessionId) {
                    ShadowEntry e = shadow.get(keys.session(sessionId));
                    return e == null ? null : e.desired().versions();
                }
            };
        }

        private void check(Map<String, ShadowEntry> shadow, CheckRunner runner, Config config, Report report,
                           CheckRunner.SessionVersions sessions) throws CachePort.CacheUnavailableException {
            long now = System.currentTimeMillis();
            long settle = config.get(CheckKeys.CHECK_DELAY_MS).toMillis();
            int batchSize = config.get(CheckKeys.BATCH_SIZE);
            List<ShadowEntry> batch = new ArrayList<>(batchSize);
            long seen = 0;
            try (Progress progress = Progress.start(repair ? "checking, repair" : "checking", shadow.size(), "keys")) {
                for (ShadowEntry e : shadow.values()) {
                    seen++;
                    if (!e.desired().checkable()) {
                        report.unknown++;
                    } else if (now < e.changedAt() + settle) {
                        report.pending++;
                    } else {
                        batch.add(e);
                    }
                    if (batch.size() == batchSize) {
                        report.add(runner.check(batch, CheckSource.CLI, now, repair, sessions).outcomes());
                        batch.clear();
                        progress.stepTo(seen);
                        progress.note("drift " + report.drift());
                    }
                }
                report.add(runner.check(batch, CheckSource.CLI, now, repair, sessions).outcomes());
                progress.stepTo(seen);
                progress.note("drift " + report.drift());
            }
        }
    }

    /** What a check found, and how it prints. */
    static final class Report {
        final long keys;
        final String topic;
        final boolean repair;
        final ConsumedIncarnations consumed;
        long pending;
        long unknown;
        long checked;
        final Map<DriftKind, long[]> byKind = new EnumMap<>(DriftKind.class);
        final Map<String, long[]> byStrategy = new TreeMap<>();
        final List<CheckOutcome> drifted = new ArrayList<>();

        Report(long keys, String topic, boolean repair, ConsumedIncarnations consumed) {
            this.keys = keys;
            this.topic = topic;
            this.repair = repair;
            this.consumed = consumed;
        }

        void add(List<CheckOutcome> outcomes) {
            for (CheckOutcome o : outcomes) {
                checked++;
                long[] k = byKind.computeIfAbsent(o.result(), x -> new long[2]);
                k[0]++;
                if (o.repair() == RepairOutcome.APPLIED || o.repair() == RepairOutcome.SUPERSEDED) {
                    k[1]++;
                }
                long[] s = byStrategy.computeIfAbsent(o.keyKind() + " " + o.strategy(), x -> new long[2]);
                s[0]++;
                if (o.consistent()) {
                    s[1]++;
                }
                if (o.result().isDrift()) {
                    drifted.add(o);
                }
            }
        }

        long drift() {
            return drifted.size();
        }

        boolean driftRemains() {
            return drifted.stream().anyMatch(o -> o.repair() != RepairOutcome.APPLIED
                    && o.repair() != RepairOutcome.SUPERSEDED);
        }

        void print(PrintStream out, int show) {
            out.printf(Locale.ROOT, "KVShadow: %,d keys (%s); checked %,d, pending %,d (changed within the check "
                    + "delay: left to the reconciler), not yet created %,d%n", keys, topic, checked, pending, unknown);
            out.printf(Locale.ROOT, "current incarnations: sessions %s, interactions %s%n", consumed.sessions(),
                    consumed.interactions());
            out.printf(Locale.ROOT, "%n%-30s %10s %10s%n", "result", "keys", repair ? "repaired" : "");
            for (DriftKind kind : DriftKind.values()) {
                long[] k = byKind.getOrDefault(kind, new long[2]);
                out.printf(Locale.ROOT, "  %-28s %,10d %10s%n", kind.tag() + (kind.isDrift() ? "" : " (consistent)"),
                        k[0], repair && kind.isDrift() ? String.format(Locale.ROOT, "%,d", k[1]) : "");
            }
            out.printf(Locale.ROOT, "%n%-30s %10s %10s %10s%n", "consistency", "checked", "consistent", "ratio");
            byStrategy.forEach((name, s) -> out.printf(Locale.ROOT, "  %-28s %,10d %,10d %10.5f%n", name, s[0], s[1],
                    s[0] == 0 ? Double.NaN : (double) s[1] / s[0]));
            if (!drifted.isEmpty() && show > 0) {
                out.printf("%nfirst %d drifted keys:%n", Math.min(show, drifted.size()));
                drifted.stream().limit(show).forEach(o -> out.printf(Locale.ROOT,
                        "  %-50s %-9s desired %s%s, redis %s%s%s%n", o.key(), o.result().tag(), o.desiredVersions(),
                        o.desiredPresent() ? " until " + Instant.ofEpochMilli(o.desiredExpireAt()) : " (absent)",
                        o.observedVersions() == null ? "-" : o.observedVersions(),
                        o.observedExpireAt() >= 0 ? " until " + Instant.ofEpochMilli(o.observedExpireAt())
                                : o.observedExpireAt() == -1 ? " (no TTL)" : "",
                        repair ? "  repair: " + o.repair().tag() : ""));
            }
            out.println();
            if (drifted.isEmpty()) {
                out.println("consistent: Redis holds the desired state of every checked key");
            } else if (driftRemains()) {
                long left = drifted.stream().filter(o -> o.repair() == RepairOutcome.KEPT
                        || o.repair() == RepairOutcome.UNSCOPED).count();
                boolean failed = drifted.stream().anyMatch(o -> o.repair() == RepairOutcome.FAILED
                        || o.repair() == RepairOutcome.REPORTED);
                out.printf(Locale.ROOT, "%,d keys drifted%s%n", drift(), !repair ? "; run with --repair to fix them"
                        : failed ? "; some repairs failed (Redis down?): run again" : "");
                if (left > 0) {
                    out.printf(Locale.ROOT, "%,d of them not written: their shadow entries are from an earlier life of "
                            + "a topic (kept) or from before incarnations were recorded (unscoped); a repair from them "
                            + "never takes a current value back, the keys' next events will%n", left);
                }
            } else {
                out.printf(Locale.ROOT, "%,d keys drifted, all repaired%n", drift());
            }
        }
    }
}
