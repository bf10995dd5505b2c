package dev.mtp.reconciler.topology;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.reconciler.check.CachePort;
import dev.mtp.reconciler.check.CheckOutcome;
import dev.mtp.reconciler.check.CheckPacer;
import dev.mtp.reconciler.check.CheckRunner;
import dev.mtp.reconciler.check.CheckSource;
import dev.mtp.reconciler.check.DriftKind;
import dev.mtp.reconciler.check.RepairOutcome;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.reconciler.check.SyncTracking;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One task's part of KVShadow (the partitions of its sessions): folds events into the shadow store, and on a
 * wall-clock punctuator checks keys against Redis: first the targeted checks that are due, then a slice of the sweep.
 *
 * <p>Checks run on the stream thread, between batches of events, within {@link CheckSettings#tickBudget()} per
 * punctuation and at the rate the shared {@link CheckPacer} allows. A targeted check judges from the header of its
 * entry as last stored, kept with the pending check ({@link DueChecks}), and reads the entry's payload from the store
 * only for a repair; checks run between events, so a check never sees a half-applied event. A done check writes
 * nothing to the store: the task records up to which check time every check has run
 * ({@link ShadowTopology#CHECKS_DONE_STORE}). Redis not answering pauses this task's checks for
 * {@link CheckSettings#retryBackoff()} and puts the targeted checks back; folding goes on.
 */
final class ShadowProcessor implements Processor<String, ShadowTopology.Incoming, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ShadowProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();
    /**
     * Entries this task read or wrote lately, decoded: consecutive events of a session read its entry back, and
     * reading it from the store and decoding it cost more than the rest of the fold (measured when the state was
     * JSON). Every write and delete of the shadow store goes through {@link #store} and {@link #remove}, so the cache
     * never differs from the store.
     */
    static final int RECENT_ENTRIES = 2_048;
    /** The one key of {@link ShadowTopology#CHECKS_DONE_STORE}: the task's {@link DueChecks#doneThrough}. */
    static final String DONE_THROUGH = "done-through";

    private final ShadowFold fold;
    private final CheckSettings settings;
    private final CheckRunner runner;
    private final CheckPacer pacer;
    private final RecoverySignal recovery;
    private final ReconcilerMetrics metrics;
    private final SyncTracking tracking;
    private final Function<String, String> topicTag;
    private final Function<String, Incarnation> incarnationOf;

    private ProcessorContext<Void, Void> context;
    /** The task's id, as the shadow-entries gauge knows it; taken at init, since close must not ask the context. */
    private String task;
    private KeyValueStore<String, ShadowEntry> shadow;
    private KeyValueStore<String, Long> checksDone;
    private long savedDoneThrough;
    private DueChecks due;
    private ShadowFold.View view;
    private CheckRunner.SessionVersions sessions;
    private Map<String, ShadowEntry> recent;
    private Sweep sweep;

    private long pausedUntil;
    private boolean redisDown;
    private long seenRecoveryEpoch;

    ShadowProcessor(ShadowFold fold, CheckSettings settings, CheckRunner runner, CheckPacer pacer,
                    RecoverySignal recovery, ReconcilerMetrics metrics, SyncTracking tracking,
                    Function<String, String> topicTag, Function<String, Incarnation> incarnationOf) {
        this.fold = fold;
        this.settings = settings;
        this.runner = runner;
        this.pacer = pacer;
        this.recovery = recovery;
        this.metrics = metrics;
        this.tracking = tracking;
        this.topicTag = topicTag;
        this.incarnationOf = incarnationOf;
    }

    @Override
    public void init(ProcessorContext<Void, Void> ctx) {
        this.context = ctx;
        this.task = ctx.taskId().toString();
        this.shadow = ctx.getStateStore(ShadowStore.NAME);
        this.checksDone = ctx.getStateStore(ShadowTopology.CHECKS_DONE_STORE);
        this.recent = new LinkedHashMap<>(RECENT_ENTRIES * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ShadowEntry> eldest) {
                return size() > RECENT_ENTRIES;
            }
        };
        this.view = new ShadowFold.View() {
            @Override
            public ShadowEntry get(String key) {
                return entry(key);
            }

            @Override
            public List<ShadowEntry> withPrefix(String prefix) {
                List<ShadowEntry> found = new ArrayList<>();
                try (KeyValueIterator<String, ShadowEntry> it = shadow.prefixScan(prefix, KEYS)) {
                    it.forEachRemaining(kv -> found.add(kv.value));
                }
                return found;
            }
        };
        this.sessions = new CheckRunner.SessionVersions() {
            @Override
            public String sessionKey(String sessionId) {
                return fold.keys().session(sessionId);
            }

            @Override
            public dev.mtp.cachestore.VersionVector versions(String sessionId) {
                // A session key with a check pending has its header at hand: no read of the store.
                String key = sessionKey(sessionId);
                ShadowEntry e = due.header(key);
                if (e == null) {
                    e = entry(key);
                }
                return e == null ? null : e.desired().versions();
            }
        };
        this.due = pendingChecks();
        this.sweep = new Sweep(settings, ctx.currentSystemTimeMs(), shadowSize());
        ctx.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, ignored -> tick());
    }

    /**
     * The targeted checks this task has pending, from one scan of its shadow: the entries whose check time is above
     * the one up to which every check had run. Init runs once the stores are restored and before this task writes
     * anything: the record cache holds none of its entries yet, so the scan reads the shadow as restored, and every
     * later change arms its check in memory as it is stored. (A shadow without the done mark, as an earlier version
     * left it, had its done checks' times cleared instead: 0 finds the same ones.)
     */
    private DueChecks pendingChecks() {
        long started = System.nanoTime();
        Long done = checksDone.get(DONE_THROUGH);
        savedDoneThrough = done == null ? 0 : done;
        DueChecks found;
        try (KeyValueIterator<String, ShadowEntry> all = shadow.all()) {
            found = DueChecks.pendingIn(all, savedDoneThrough, this::entry);
        }
        log.atInfo().setMessage("task {}: {} targeted checks pending, found in {} ms").addArgument(context.taskId())
                .addArgument(found.size()).addArgument((System.nanoTime() - started) / 1_000_000).log();
        return found;
    }

    // ------------------------------------------------------------------ fold

    @Override
    public void process(Record<String, ShadowTopology.Incoming> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        String topic = topicTag.apply(meta.topic());
        ShadowTopology.Incoming in = record.value();
        EventEnvelope event = in == null ? null : in.event();
        if (event == null || !event.sessionId().equals(record.key())) {
            // cache-writer dead-letters these; the shadow skips them the same way, so both agree on what counts.
            metrics.event(topic, "skipped");
            return;
        }
        long now = context.currentSystemTimeMs();
        Version version = Version.of(incarnationOf.apply(meta.topic()), meta.offset());
        ShadowFold.Result result = fold.apply(view, event, in.bytes(), version, now);
        metrics.event(topic, result.supersededIncarnation() ? ReconcilerMetrics.SUPERSEDED_INCARNATION
                : result.decision().name().toLowerCase(Locale.ROOT));
        long at = now + settings.checkDelay().toMillis();
        for (ShadowEntry e : result.changed()) {
            store(scheduled(e, at));
        }
    }

    /** The entry of a cache key: from the recent entries, else from the store (then kept among the recent ones). */
    private ShadowEntry entry(String key) {
        ShadowEntry e = recent.get(key);
        if (e == null) {
            e = shadow.get(key);
            if (e != null) {
                recent.put(key, e);
            }
        }
        return e;
    }

    private void store(ShadowEntry e) {
        shadow.put(e.key(), e);
        recent.put(e.key(), e);
    }

    private void remove(String key) {
        shadow.delete(key);
        recent.remove(key);
        due.cancel(key);
    }

    /**
     * A changed entry as it is stored, with the time of its key's targeted check: the one pending (it re-arms itself
     * for the latest change when due), else the check delay after this change. The pending check takes the new
     * entry's header.
     */
    private ShadowEntry scheduled(ShadowEntry e, long at) {
        if (!e.desired().checkable()) {
            due.cancel(e.key());
            return e;
        }
        ShadowEntry withCheck = e.withCheckAt(due.at(e.key(), at));
        due.arm(withCheck.header(this::entry));
        return withCheck;
    }

    // ------------------------------------------------------------------ checks

    private void tick() {
        long now = context.currentSystemTimeMs();
        if (now < pausedUntil) {
            return;
        }
        long epoch = recovery.epoch();
        if (epoch != seenRecoveryEpoch) {
            seenRecoveryEpoch = epoch;
            startRecovery(now);
        }
        long budget = (sweep.recovering() ? settings.recoveryTickBudget() : settings.tickBudget()).toNanos();
        long deadline = System.nanoTime() + budget;
        boolean moreDue = dueChecks(now, deadline);
        if (!moreDue && System.nanoTime() < deadline && now >= pausedUntil) {
            sweepSlices(now, deadline);
        }
        saveDoneThrough(now);
    }

    /** Records up to which check time every check stored in an entry has run, when that moved. */
    private void saveDoneThrough(long now) {
        long doneThrough = due.doneThrough(now);
        if (doneThrough != savedDoneThrough) {
            checksDone.put(DONE_THROUGH, doneThrough);
            savedDoneThrough = doneThrough;
        }
    }

    private double ceiling() {
        return recovery.recovering() ? settings.recoveryChecksPerSecond() : settings.maxChecksPerSecond();
    }

    /** Runs the targeted checks that are due; true when some remain (out of time or rate). */
    private boolean dueChecks(long now, long deadline) {
        long settle = settings.checkDelay().toMillis();
        while (due.nextAt() <= now) {
            if (System.nanoTime() >= deadline) {
                return true;
            }
            int granted = pacer.acquire(settings.batchSize(), ceiling());
            if (granted == 0) {
                return true;
            }
            List<DueChecks.Check> batch = new ArrayList<>(granted);
            List<DueChecks.Check> notSettled = new ArrayList<>();
            while (batch.size() < granted && due.nextAt() <= now) {
                DueChecks.Check check = due.takeNext();
                if (now < check.entry().changedAt() + settle) {
                    notSettled.add(check);
                } else {
                    batch.add(check);
                }
            }
            pacer.release(granted - batch.size());
            notSettled.forEach(check -> due.putBack(check, check.entry().changedAt() + settle));
            if (!batch.isEmpty() && !run(batch, CheckSource.TARGETED, now)) {
                batch.forEach(check -> due.putBack(check, now + settings.retryBackoff().toMillis()));
                return true;
            }
        }
        return false;
    }

    /** The shadow's estimated size, also published as the task's share of the shadow-entries gauge. */
    private long shadowSize() {
        long entries = shadow.approximateNumEntries();
        metrics.shadowEntries(task, entries);
        return entries;
    }

    /** Checks the next slices of the sweep: paced to one pass per sweep period, or as fast as allowed in recovery. */
    private void sweepSlices(long now, long deadline) {
        if (sweep.sizeDue(now)) {
            sweep.sized(shadowSize(), now);
        }
        sweep.tick(now);
        while (System.nanoTime() < deadline) {
            int want = sweep.wanted();
            if (want == 0) {
                return;
            }
            int granted = pacer.acquire(want, ceiling());
            if (granted == 0) {
                return;
            }
            Sweep.Slice slice;
            try (KeyValueIterator<String, ShadowEntry> it = sweep.cursor() == null ? shadow.all()
                    : shadow.range(sweep.cursor(), null)) {
                slice = sweep.slice(it, granted, now);
            }
            pacer.release(granted - slice.checks().size());
            if (!slice.checks().isEmpty() && !run(slice.checks(), sweep.mode(), now)) {
                return;
            }
            sweep.passed(slice);
            if (slice.exhausted()) {
                passCompleted(now);
                return;
            }
        }
    }

    /**
     * One round of checks; false when Redis did not answer (nothing was judged). A repair that failed is tried again
     * after the backoff (a sweep's only in memory: should this task stop, the next pass finds the key again).
     */
    private boolean run(List<DueChecks.Check> batch, CheckSource source, long now) {
        List<ShadowEntry> entries = new ArrayList<>(batch.size());
        batch.forEach(check -> entries.add(check.entry()));
        CheckRunner.Round round;
        try {
            round = runner.check(entries, source, now, settings.repair(), sessions);
        } catch (CachePort.CacheUnavailableException e) {
            metrics.redisError();
            pausedUntil = now + settings.retryBackoff().toMillis();
            if (!redisDown) {
                redisDown = true;
                log.atWarn().setMessage("checks paused: Redis did not answer: {}").addArgument(e.getMessage()).log();
            }
            return false;
        }
        if (redisDown) {
            redisDown = false;
            log.info("checks resumed: Redis answers again");
        }
        pacer.observe(round.readNanos(), ceiling());
        for (int i = 0; i < batch.size(); i++) {
            ShadowEntry e = entries.get(i);
            CheckOutcome o = round.outcomes().get(i);
            if (o.repair() == RepairOutcome.APPLIED) {
                sweep.repaired();
            }
            if (o.repair() == RepairOutcome.FAILED || awaitsTheShadow(e, o)) {
                due.putBack(batch.get(i), now + settings.retryBackoff().toMillis());
            } else if (source != CheckSource.TARGETED && purgeable(e, now) && o.consistent()) {
                remove(e.key());
                tracking.forget(e.key());
            }
        }
        return true;
    }

    /**
     * An interaction or latest-response key judged AHEAD: Redis's session key is newer than the shadow, so the key was
     * not judged. Only changes to its own entry arm its next check, and the shadow catching up changes the session's
     * entry, not this one: without another look a key lost meanwhile would wait for the slow sweep.
     */
    private static boolean awaitsTheShadow(ShadowEntry e, CheckOutcome o) {
        return e.kind() != CacheKeys.Kind.SESSION && o.result() == DriftKind.AHEAD;
    }

    /**
     * An interaction or latest-response key that should be gone, and has been for the retention: it leaves the
     * shadow. Session keys stay: their entry holds the state later events build on.
     */
    private boolean purgeable(ShadowEntry e, long now) {
        return e.kind() != CacheKeys.Kind.SESSION
                && !e.desired().wantsValueAt(now)
                && now >= Math.max(e.changedAt(), e.desired().expireAt()) + settings.absentRetention().toMillis();
    }

    private void startRecovery(long now) {
        if (sweep.startRecovery(now)) {
            recovery.sweepStarted();
        }
        log.atInfo().setMessage("task {}: Redis lost data; recovery sweep of {} keys starts")
                .addArgument(context.taskId()).addArgument(shadow.approximateNumEntries()).log();
    }

    private void passCompleted(long now) {
        Sweep.Pass pass = sweep.complete(now, shadow.approximateNumEntries());
        metrics.sweepCompleted(pass.mode());
        if (pass.mode() == CheckSource.RECOVERY) {
            recovery.sweepEnded();
            log.atInfo().setMessage("task {}: recovery sweep done: {} keys checked, {} repaired, in {} ms")
                    .addArgument(context.taskId()).addArgument(pass.checked()).addArgument(pass.repaired())
                    .addArgument(pass.tookMs()).log();
        } else {
            log.atDebug().setMessage("task {}: sweep done: {} keys checked, {} repaired, in {} ms")
                    .addArgument(context.taskId()).addArgument(pass.checked()).addArgument(pass.repaired())
                    .addArgument(pass.tookMs()).log();
        }
    }

    @Override
    public void close() {
        if (sweep != null && sweep.recovering()) { // null: closed before its init
            recovery.sweepEnded();
        }
        if (task != null) { // null: closed before its init
            metrics.shadowClosed(task);
        }
    }
}
