package dev.mtp.reconciler.tracking;

import dev.mtp.reconciler.check.CheckMetrics;
import dev.mtp.reconciler.check.CheckOutcome;
import dev.mtp.reconciler.check.CheckSource;
import dev.mtp.reconciler.check.RepairOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The reconciler's meters ({@code /metrics}, Prometheus names in brackets):
 * <ul>
 *   <li>{@code mtp.reconciler.checks} [mtp_reconciler_checks_total] by key kind, strategy, source, result: every
 *       key compared with Redis;</li>
 *   <li>{@code mtp.reconciler.drift} [mtp_reconciler_drift_total] by kind (missing, stale, other_incarnation, ttl,
 *       value, unwanted) and key kind;</li>
 *   <li>{@code mtp.reconciler.repairs} [mtp_reconciler_repairs_total] by kind and outcome (applied, superseded,
 *       reported, failed);</li>
 *   <li>{@code mtp.reconciler.consistency.ratio} [mtp_reconciler_consistency_ratio] by key kind and strategy: checked
 *       keys found consistent / checked keys over {@code app.reconciler.consistency-window-ms}; with the
 *       {@code checks} counter by result, any other window is a PromQL ratio away;</li>
 *   <li>{@code mtp.reconciler.events} [mtp_reconciler_events_total] by topic and outcome (apply, duplicate, stale,
 *       superseded_incarnation, skipped; wrong_partition: dead-lettered, see docs/producers.md): what the topology
 *       folded or refused; {@code superseded_incarnation} applied over state of another incarnation of its topic
 *       (docs/decisions/0012), {@code stale} only comes from a replay;</li>
 *   <li>{@code mtp.reconciler.check.batch} [mtp_reconciler_check_batch_seconds]: one pipelined Redis round of checks
 *       (and their repairs);</li>
 *   <li>{@code mtp.reconciler.check.rate} [mtp_reconciler_check_rate]: checks per second currently allowed (AIMD);</li>
 *   <li>{@code mtp.reconciler.data.loss} [mtp_reconciler_data_loss_total]: times Redis was found to have lost data
 *       (canary gone), each starting a recovery sweep;</li>
 *   <li>{@code mtp.reconciler.sweeps} [mtp_reconciler_sweeps_total] by mode: full passes over the shadow;</li>
 *   <li>{@code mtp.reconciler.redis.errors} [mtp_reconciler_redis_errors_total]: check batches that failed;</li>
 *   <li>{@code mtp.reconciler.shadow.entries} [mtp_reconciler_shadow_entries]: the keys in this instance's shadow
 *       (RocksDB's estimate, refreshed with each sweep's sizing), what a recovery sweep after data loss has to check:
 *       the "keys in the shadow" of docs/convergence.md's bound, summed over the instances;</li>
 *   <li>{@code mtp.reconciler.restored.records} [mtp_reconciler_restored_records_total]: changelog records restored
 *       into the local stores since start (a restart with its state dir restores only what came after its last
 *       checkpoint).</li>
 * </ul>
 */
public final class ReconcilerMetrics implements CheckMetrics {

    /** The events outcome of an event applied over state of another incarnation of its topic. */
    public static final String SUPERSEDED_INCARNATION = "superseded_incarnation";

    private final MeterRegistry registry;
    private final Duration window;
    private final LongSupplier clockMillis;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, ConsistencyWindow> windows = new ConcurrentHashMap<>();
    private final Timer batchTimer;
    private final Counter dataLoss;
    private final Counter redisErrors;
    private final Counter restored;
    private final Map<String, Long> shadowEntries = new ConcurrentHashMap<>();

    public ReconcilerMetrics(MeterRegistry registry, Duration consistencyWindow, LongSupplier clockMillis) {
        this.registry = registry;
        this.window = consistencyWindow;
        this.clockMillis = clockMillis;
        this.batchTimer = Timer.builder("mtp.reconciler.check.batch")
                .description("One pipelined round of checks against Redis, with their repairs").register(registry);
        this.dataLoss = Counter.builder("mtp.reconciler.data.loss")
                .description("Times Redis was found to have lost data (canary gone)").register(registry);
        this.redisErrors = Counter.builder("mtp.reconciler.redis.errors")
                .description("Check batches that failed because Redis did not answer").register(registry);
        this.restored = Counter.builder("mtp.reconciler.restored.records")
                .description("Changelog records restored into the local state stores since start").register(registry);
        Gauge.builder("mtp.reconciler.shadow.entries", shadowEntries,
                        entries -> entries.values().stream().mapToLong(Long::longValue).sum())
                .description("Keys in this instance's shadow stores (estimate), what a recovery sweep checks")
                .register(registry);
    }

    /** Meters kept in memory only: tests and the CLI. */
    public static ReconcilerMetrics inMemory() {
        return new ReconcilerMetrics(new SimpleMeterRegistry(), Duration.ofMinutes(5), System::currentTimeMillis);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void checked(CheckOutcome o) {
        counter("mtp.reconciler.checks", "Keys compared with Redis",
                "key_kind", o.keyKind(), "strategy", o.strategy(), "source", o.source().tag(),
                "result", o.result().tag()).increment();
        if (o.result().isDrift()) {
            counter("mtp.reconciler.drift", "Drift found, by kind", "kind", o.result().tag(),
                    "key_kind", o.keyKind()).increment();
        }
        if (o.repair() != RepairOutcome.NOT_NEEDED) {
            counter("mtp.reconciler.repairs", "Repairs, by drift kind and outcome", "kind", o.result().tag(),
                    "outcome", o.repair().tag()).increment();
        }
        if (o.source() != CheckSource.CLI) {
            consistency(o.keyKind(), o.strategy()).record(o.consistent());
        }
    }

    public void event(String topic, String outcome) {
        counter("mtp.reconciler.events", "Events folded into the shadow", "topic", topic, "outcome", outcome)
                .increment();
    }

    @Override
    public void batch(long nanos) {
        batchTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void dataLoss() {
        dataLoss.increment();
    }

    public void redisError() {
        redisErrors.increment();
    }

    public void sweepCompleted(CheckSource mode) {
        counter("mtp.reconciler.sweeps", "Full passes over the shadow", "mode", mode.tag()).increment();
    }

    public void restored(long records) {
        restored.increment(records);
    }

    /** The size of one stream task's shadow store, as last estimated. */
    public void shadowEntries(String task, long entries) {
        shadowEntries.put(task, entries);
    }

    /** A task closed (moved to another instance, or the app stopping): its shadow is no longer this instance's. */
    public void shadowClosed(String task) {
        shadowEntries.remove(task);
    }

    public double restoredRecords() {
        return restored.count();
    }

    /** Registers a gauge (e.g. the pacer's rate). */
    public void gauge(String name, String description, DoubleSupplier value) {
        Gauge.builder(name, value::getAsDouble).description(description).register(registry);
    }

    /** The consistency ratio of one key kind and strategy over the window; NaN when none was checked. */
    public double consistencyRatio(String keyKind, String strategy) {
        ConsistencyWindow w = windows.get(keyKind + "/" + strategy);
        return w == null ? Double.NaN : w.ratio();
    }

    /** The count of one counter series, e.g. {@code count("mtp.reconciler.drift", "kind", "missing")}, summed. */
    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private ConsistencyWindow consistency(String keyKind, String strategy) {
        return windows.computeIfAbsent(keyKind + "/" + strategy, k -> {
            ConsistencyWindow w = new ConsistencyWindow(window, clockMillis);
            Gauge.builder("mtp.reconciler.consistency.ratio", w, ConsistencyWindow::ratio)
                    .description("Checked keys found consistent / checked keys, over the consistency window")
                    .tag("key_kind", keyKind).tag("strategy", strategy).register(registry);
            return w;
        });
    }

    private Counter counter(String name, String description, String... tags) {
        List<String> id = new ArrayList<>(tags.length + 1);
        id.add(name);
        Collections.addAll(id, tags);
        Counter c = counters.get(id);
        return c != null ? c : counters.computeIfAbsent(id, k -> Counter.builder(name).description(description)
                .tags(tags).register(registry));
    }
}
