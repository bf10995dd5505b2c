package dev.mtp.reconciler.topology;

import dev.mtp.reconciler.check.CheckSource;
import dev.mtp.reconciler.shadow.ShadowEntry;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One task's sweep over its shadow: where it is (the cursor), how many keys it may pass over (the credit earned at one
 * pass per sweep period, or as fast as allowed in recovery), and the pass in progress. Pure: the processor reads the
 * store, runs the checks and tells the sweep how far they got.
 */
final class Sweep {
    /** A sweep round checks at least this share of the shadow (1/20): fewer, fuller Redis rounds when traffic is low. */
    static final int ROUNDS_PER_PASS = 20;
    /** RocksDB's key estimate is read at most this often for the sweep's pace. */
    private static final long SIZE_REFRESH_MS = 1_000;

    /** A pass that ended: what it was, and what it found. */
    record Pass(CheckSource mode, long checked, long repaired, long tookMs) {}

    /**
     * One round's keys: those to check, the last key passed over (the next round starts after it), how many were passed
     * over, and whether the shadow ended first.
     */
    record Slice(List<DueChecks.Check> checks, String last, int scanned, boolean exhausted) {}

    private final CheckSettings settings;
    private CheckSource mode = CheckSource.SWEEP;
    /** The last key passed over, null at the start of a pass. */
    private String cursor;
    private double credit;
    private long lastTick;
    /** The shadow's size, as estimated. */
    private long size;
    private long sizeReadAt;
    private long passStartedAt;
    private long passChecked;
    private long passRepaired;

    Sweep(CheckSettings settings, long now, long size) {
        this.settings = settings;
        this.lastTick = now;
        this.passStartedAt = now;
        this.size = size;
        this.sizeReadAt = now;
    }

    CheckSource mode() {
        return mode;
    }

    boolean recovering() {
        return mode == CheckSource.RECOVERY;
    }

    /** Where the next round starts after, null for the first key. */
    String cursor() {
        return cursor;
    }

    /** True when the shadow's size should be read again: the pace follows the store as it grows or shrinks. */
    boolean sizeDue(long now) {
        return now - sizeReadAt >= SIZE_REFRESH_MS;
    }

    void sized(long entries, long now) {
        size = entries;
        sizeReadAt = now;
    }

    /** A punctuation: outside recovery, credit for the time since the last one, capped so that idle time is not saved up. */
    void tick(long now) {
        if (mode == CheckSource.SWEEP) {
            double perMs = (double) Math.max(1, size) / settings.sweepPeriod().toMillis();
            credit = Math.min(credit + (now - lastTick) * perMs,
                    Math.max(settings.batchSize(), perMs * settings.tick().toMillis() * 10));
        }
        lastTick = now;
    }

    /**
     * How many keys the next round may pass over, 0 for no round now. The credit is for keys passed over, checked or
     * not: the pace is one pass per period whatever the keys hold. Outside recovery, a round waits for enough credit to
     * be worth a Redis round trip: a twentieth of the shadow (or a full batch), so a pass takes the same period in
     * fewer, fuller rounds.
     */
    int wanted() {
        if (recovering()) {
            return settings.batchSize();
        }
        int want = (int) Math.min(settings.batchSize(), Math.floor(credit));
        long least = Math.max(1, Math.min(settings.batchSize(), (size + ROUNDS_PER_PASS - 1) / ROUNDS_PER_PASS));
        return want <= 0 || want < least ? 0 : want;
    }

    /**
     * Takes up to {@code granted} keys from the shadow read from the cursor on (the cursor's own key, where the range
     * starts, is skipped). Keys changed lately are stepped over (their targeted check is pending), and so are keys the
     * shadow cannot judge.
     */
    Slice slice(Iterator<KeyValue<String, ShadowEntry>> fromCursor, int granted, long now) {
        long settle = settings.checkDelay().toMillis();
        List<DueChecks.Check> checks = new ArrayList<>(granted);
        String last = cursor;
        int scanned = 0;
        while (scanned < granted) {
            if (!fromCursor.hasNext()) {
                return new Slice(checks, last, scanned, true);
            }
            KeyValue<String, ShadowEntry> kv = fromCursor.next();
            if (kv.key.equals(cursor)) {
                continue;
            }
            scanned++;
            last = kv.key;
            ShadowEntry e = kv.value;
            if (e.desired().checkable() && now >= e.changedAt() + settle) {
                checks.add(new DueChecks.Check(e, DueChecks.Check.NOT_STORED));
            }
        }
        return new Slice(checks, last, scanned, false);
    }

    /** The slice's checks ran: the sweep moves past it and spends the credit for the keys it passed over. */
    void passed(Slice slice) {
        credit = Math.max(0, credit - slice.scanned());
        passChecked += slice.checks().size();
        cursor = slice.last();
    }

    /** A check of this pass (or a targeted one meanwhile) repaired its key. */
    void repaired() {
        passRepaired++;
    }

    /**
     * Redis lost data: a recovery pass starts from the first key, as fast as allowed. Returns true when this starts
     * recovering, false when a recovery pass was under way already (it starts over).
     */
    boolean startRecovery(long now) {
        boolean started = !recovering();
        mode = CheckSource.RECOVERY;
        startPass(now);
        return started;
    }

    /** The pass reached the end of the shadow: the next one is a paced sweep from the first key. */
    Pass complete(long now, long entries) {
        Pass done = new Pass(mode, passChecked, passRepaired, now - passStartedAt);
        mode = CheckSource.SWEEP;
        size = entries;
        startPass(now);
        return done;
    }

    private void startPass(long now) {
        cursor = null;
        passStartedAt = now;
        passChecked = 0;
        passRepaired = 0;
    }
}
