package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.shadow.Desired;
import dev.mtp.reconciler.shadow.ShadowEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One round of checks: read the keys from Redis in one pipeline, judge each against its desired state, repair the
 * drift (guarded writes in one pipeline, compare-and-sets for drift at equal versions), and report every key to the
 * metrics and the kvshadow tracking. Used by the stream threads (targeted checks, sweeps) and by the CLI.
 */
public final class CheckRunner {

    private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);

    /**
     * A finished round: one outcome per entry, in order; how long Redis took to answer the reads (what the pacer
     * watches), and the whole round with judging and repairs.
     */
    public record Round(List<CheckOutcome> outcomes, long readNanos, long roundNanos) {}

    private final CachePort cache;
    private final DriftJudge judge;
    private final RepairPlanner planner;
    private final CheckMetrics metrics;
    private final SyncTracking tracking;

    public CheckRunner(CachePort cache, DriftJudge judge, RepairPlanner planner, CheckMetrics metrics,
                       SyncTracking tracking) {
        this.cache = cache;
        this.judge = judge;
        this.planner = planner;
        this.metrics = metrics;
        this.tracking = tracking;
    }

    /**
     * Checks the entries (each {@link Desired#checkable()}) and, when {@code repair}, fixes what drifted.
     *
     * @throws CachePort.CacheUnavailableException when the keys could not be read: nothing was judged
     */
    public Round check(List<ShadowEntry> entries, CheckSource source, long nowMs, boolean repair,
                       SessionVersions sessions) throws CachePort.CacheUnavailableException {
        if (entries.isEmpty()) {
            return new Round(List.of(), 0, 0);
        }
        long start = System.nanoTime();
        // Each entry's key, then the session key of every session whose interaction or latest-response key is
        // checked without its session key: same slot, same pipeline.
        List<String> keys = new ArrayList<>(entries.size());
        Map<String, Integer> sessionKeyAt = new HashMap<>();
        for (ShadowEntry e : entries) {
            if (e.kind() == CacheKeys.Kind.SESSION) {
                sessionKeyAt.put(e.sessionId(), keys.size());
            }
            keys.add(e.key());
        }
        for (ShadowEntry e : entries) {
            if (e.kind() != CacheKeys.Kind.SESSION && !sessionKeyAt.containsKey(e.sessionId())) {
                sessionKeyAt.put(e.sessionId(), keys.size());
                keys.add(sessions.sessionKey(e.sessionId()));
            }
        }
        List<StoredKey> observed = cache.inspect(keys);
        long readNanos = System.nanoTime() - start;
        // The shadow's session versions: from the round's own session entries (read from the store this round), else
        // looked up.
        Map<String, VersionVector> sessionVersions = new HashMap<>();
        for (ShadowEntry e : entries) {
            if (e.kind() == CacheKeys.Kind.SESSION) {
                sessionVersions.put(e.sessionId(), e.desired().versions());
            }
        }
        Verdict[] verdicts = new Verdict[entries.size()];
        RepairOutcome[] repairs = new RepairOutcome[entries.size()];
        List<CacheWrite> writes = new ArrayList<>();
        Map<Integer, Integer> writeOf = new HashMap<>();
        Map<String, EventEnvelope> decoded = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            ShadowEntry e = entries.get(i);
            verdicts[i] = behindRedis(e, observed.get(sessionKeyAt.get(e.sessionId())), sessions, sessionVersions)
                    ? Verdict.AHEAD : judge.judge(e, observed.get(i), nowMs);
            if (!verdicts[i].kind().isDrift()) {
                repairs[i] = RepairOutcome.NOT_NEEDED;
            } else if (!repair) {
                repairs[i] = RepairOutcome.REPORTED;
            } else if (!verdicts[i].sameVersions() && !scoped(e.desired().versions())) {
                // Stored before incarnations were recorded: no writer writes versions without one any more.
                repairs[i] = RepairOutcome.UNSCOPED;
            } else if (!verdicts[i].sameVersions()) {
                writeOf.put(i, writes.size());
                writes.add(planner.guardedWrite(e, decoded));
            }
        }
        List<WriteResult> written = List.of();
        if (!writes.isEmpty()) {
            try {
                written = cache.write(writes);
            } catch (CachePort.CacheUnavailableException ex) {
                log.atWarn().setMessage("repair writes failed: {}").addArgument(ex.getMessage()).log();
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            if (repairs[i] != null) {
                continue;
            }
            Integer w = writeOf.get(i);
            if (w != null) {
                repairs[i] = w < written.size() ? outcome(written.get(w)) : RepairOutcome.FAILED;
            } else {
                repairs[i] = rewrite(entries.get(i), observed.get(i), nowMs);
            }
        }
        long roundNanos = System.nanoTime() - start;
        metrics.batch(roundNanos);
        List<CheckOutcome> outcomes = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            CheckOutcome o = outcome(entries.get(i), observed.get(i), verdicts[i], repairs[i], source, nowMs);
            outcomes.add(o);
            metrics.checked(o);
            tracking.checked(o);
            if (o.result().isDrift()) {
                log.atDebug().setMessage("{} {}: {}, repair {}").addArgument(o.key()).addArgument(source.tag())
                        .addArgument(o.result().tag()).addArgument(o.repair().tag()).log();
            }
        }
        return new Round(outcomes, readNanos, roundNanos);
    }

    /**
     * Whether Redis's session key shows that writers have seen events of this session the shadow has not folded
     * yet. An interaction or latest-response key depends on its session (a deletion removes it), but its own
     * versions are of the interactions topic only: a key cache-writer rightly never wrote (the session was deleted,
     * as the shadow does not know yet) would look missing. The session key, same slot, carries both topics'
     * versions, also as a tombstone: newer than the shadow's in any topic, in the same incarnations, means the shadow
     * is behind, and the key is judged once it caught up (the stream thread checks it again after a backoff). A
     * session key of another incarnation says nothing of what the shadow has folded: the key is judged.
     */
    private static boolean behindRedis(ShadowEntry e, StoredKey sessionKey, SessionVersions sessions,
                                       Map<String, VersionVector> inRound) {
        if (e.kind() == CacheKeys.Kind.SESSION) {
            return false;
        }
        VersionVector shadow = inRound.containsKey(e.sessionId()) ? inRound.get(e.sessionId())
                : sessions.versions(e.sessionId());
        VersionVector redis = sessionKey.versions().orElse(null);
        return shadow != null && redis != null && shadow.decide(redis, OtherIncarnations.KEEP) == Decision.STALE;
    }

    /** Whether every version an event wrote names its incarnation: false for entries stored before incarnations. */
    private static boolean scoped(VersionVector v) {
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isNone() && !v.get(i).incarnation().isKnown()) {
                return false;
            }
        }
        return true;
    }

    /** The shadow's session entries, as the runner needs them to know whether it is behind Redis. */
    public interface SessionVersions {
        /** The session's key. */
        String sessionKey(String sessionId);

        /** The versions of the session's state in the shadow; null when unknown. */
        VersionVector versions(String sessionId);
    }

    private RepairOutcome rewrite(ShadowEntry e, StoredKey seen, long nowMs) {
        try {
            return cache.rewrite(seen, planner.rewrite(e, nowMs));
        } catch (CachePort.CacheUnavailableException ex) {
            return RepairOutcome.FAILED;
        }
    }

    private static RepairOutcome outcome(WriteResult r) {
        if (r.failed()) {
            return RepairOutcome.FAILED;
        }
        return switch (r.outcome()) {
            case WRITTEN, REMOVED, ABSENT, EXPIRED -> RepairOutcome.APPLIED;
            case DUPLICATE, STALE -> RepairOutcome.SUPERSEDED;
            case OTHER_INCARNATION -> RepairOutcome.KEPT;
        };
    }

    private static CheckOutcome outcome(ShadowEntry e, StoredKey seen, Verdict v, RepairOutcome repair,
                                        CheckSource source, long nowMs) {
        Desired d = e.desired();
        boolean want = d.wantsValueAt(nowMs);
        String observedVersions = seen.versions().map(VersionVector::toString).orElse(null);
        return new CheckOutcome(e.key(), e.sessionId(), e.kindTag(), d.strategy(), d.versions().toString(), want,
                want ? d.expireAt() : 0, observedVersions, seen.expireAtMs(), v.kind(), repair, source, nowMs);
    }
}
