package dev.mtp.reconciler.topology;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells every task of this instance that Redis lost data: each one starts a recovery sweep of its keys at the
 * recovery rate. An epoch rather than a flag, so a second loss during a sweep restarts it, and a task created later
 * (rebalance) still sees a loss that happened before it.
 */
public final class RecoverySignal {

    private final AtomicLong epoch = new AtomicLong();
    private final AtomicInteger recovering = new AtomicInteger();

    /** Redis lost data: every task sweeps all its keys again. */
    public void dataLost() {
        epoch.incrementAndGet();
    }

    public long epoch() {
        return epoch.get();
    }

    /** A task began a recovery sweep: the instance checks at the recovery rate until every task is done. */
    void sweepStarted() {
        recovering.incrementAndGet();
    }

    void sweepEnded() {
        recovering.decrementAndGet();
    }

    /** Whether any task of this instance is in a recovery sweep. */
    public boolean recovering() {
        return recovering.get() > 0;
    }
}
