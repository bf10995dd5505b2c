package dev.mtp.reconciler.check;

import java.util.Objects;

/**
 * One key checked: what was desired, what Redis held, what that was, and what the repair did. Feeds the metrics,
 * the kvshadow collection and the CLI's report.
 *
 * @param key              the Redis key
 * @param sessionId        its session
 * @param keyKind          {@code session}, {@code interaction} or {@code latest}
 * @param strategy         the desired strategy's name ({@code NONE} when nothing is desired for that reason)
 * @param desiredVersions  the shadow's versions with their incarnations, e.g. {@code 12.AbCdEfGh,-1}
 * @param desiredPresent   whether a value is desired at the time of the check (false: NONE, deleted, expired)
 * @param desiredExpireAt  the desired absolute expiry, epoch ms (0 when nothing is desired)
 * @param observedVersions the versions Redis held, null when it held nothing (a tombstone's versions count)
 * @param observedExpireAt Redis's absolute expiry, epoch ms; -1 no expiry; -2 no key
 * @param result           the verdict
 * @param repair           what the repair did
 * @param source           why the key was checked
 * @param checkedAt        when, epoch ms
 */
public record CheckOutcome(
        String key,
        String sessionId,
        String keyKind,
        String strategy,
        String desiredVersions,
        boolean desiredPresent,
        long desiredExpireAt,
        String observedVersions,
        long observedExpireAt,
        DriftKind result,
        RepairOutcome repair,
        CheckSource source,
        long checkedAt) {

    public CheckOutcome {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyKind, "keyKind");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(repair, "repair");
        Objects.requireNonNull(source, "source");
    }

    /** Consistent: nothing was wrong (a writer being ahead of the shadow is not wrong). */
    public boolean consistent() {
        return !result.isDrift();
    }
}
