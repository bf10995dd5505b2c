package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CorruptValueException;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.shadow.Desired;
import dev.mtp.reconciler.shadow.ShadowEntry;

import dev.mtp.reconciler.shadow.ValueHash;
import java.util.Optional;

/**
 * Compares a key's desired state with what Redis holds. Pure: the read, the time and the tolerance are given.
 *
 * <p>Incarnations decide first (docs/decisions/0012): a value whose versions are of another incarnation of a topic
 * than the entry's, in any component, is OTHER_INCARNATION whatever its offsets: written in another life of the topic,
 * it is never ahead of the shadow nor consistent with it. Then versions, by cache-store's rule
 * ({@link VersionVector#decide}, the rule of the Lua guard): Redis older than desired is drift (STALE, or UNWANTED
 * when nothing is desired); Redis newer, or newer in any topic, is AHEAD (a writer saw events the shadow has not folded
 * yet: not drift, it will catch up). Only at the same versions do content and expiry matter: a different value is
 * VALUE, a missing or different expiry is TTL, and a value that should be gone by now (expired as planned) is
 * UNWANTED. An entry is judged against the value's incarnations, not the ones consumed now: an entry from an earlier
 * life of a topic that no event has touched since, beside a value of that same life, is judged by offsets as ever.
 *
 * <p>Around a planned expiry ({@code tolerance} either side) nothing is judged: Redis expires keys by its own clock,
 * and a key a few ms from its end is not worth a repair, nor is one a few ms past it. Past the expiry, a missing key
 * is what is desired: a key that expired on schedule is never brought back.
 */
public final class DriftJudge {

    private final long toleranceMs;

    public DriftJudge(long toleranceMs) {
        this.toleranceMs = toleranceMs;
    }

    public Verdict judge(ShadowEntry entry, StoredKey observed, long nowMs) {
        Desired d = entry.desired();
        if (d.presence() == Desired.Presence.PRESENT && Math.abs(nowMs - d.expireAt()) <= toleranceMs) {
            return Verdict.MATCH;
        }
        boolean want = d.wantsValueAt(nowMs);
        if (!observed.exists()) {
            return want ? Verdict.of(DriftKind.MISSING) : Verdict.MATCH;
        }
        Optional<ValueCodec.Header> header = observed.header();
        if (header.isEmpty()) {
            // Not a value of this layout: the guard treats it as nothing stored, so any write replaces it.
            return Verdict.of(want ? DriftKind.VALUE : DriftKind.UNWANTED);
        }
        VersionVector stored = header.get().versions();
        if (header.get().isTombstone() && !want) {
            return Verdict.MATCH;
        }
        if (otherIncarnation(d.versions(), stored)) {
            return Verdict.of(DriftKind.OTHER_INCARNATION);
        }
        // Same incarnations in every component that has one: offsets decide, whichever writer's rule.
        Decision decision = d.versions().decide(stored, OtherIncarnations.KEEP);
        if (header.get().isTombstone() && decision != Decision.OTHER_INCARNATION) {
            // Removed at newer (or these same) versions: a writer decided later than the shadow knows.
            return decision == Decision.APPLY ? Verdict.of(DriftKind.MISSING) : Verdict.AHEAD;
        }
        return switch (decision) {
            case OTHER_INCARNATION -> Verdict.of(DriftKind.OTHER_INCARNATION);
            case STALE -> Verdict.AHEAD;
            case APPLY -> Verdict.of(want ? DriftKind.STALE : DriftKind.UNWANTED);
            case DUPLICATE -> sameVersions(entry, observed, want);
        };
    }

    /** Whether some component of both has an incarnation, and they differ (unknown ones included). */
    static boolean otherIncarnation(VersionVector desired, VersionVector stored) {
        if (desired.size() != stored.size()) {
            return false; // not this key's layout: the guard treats it as nothing stored
        }
        for (int i = 0; i < desired.size(); i++) {
            Version d = desired.get(i);
            Version s = stored.get(i);
            if (!d.isNone() && !s.isNone() && !d.incarnation().equals(s.incarnation())) {
                return true;
            }
        }
        return false;
    }

    private Verdict sameVersions(ShadowEntry entry, StoredKey observed, boolean want) {
        if (!want) {
            return Verdict.atSameVersions(DriftKind.UNWANTED);
        }
        Desired d = entry.desired();
        if (!sameContent(entry, observed, d.contentHash())) {
            return Verdict.atSameVersions(DriftKind.VALUE);
        }
        long expireAt = observed.expireAtMs();
        if (expireAt < 0 || Math.abs(expireAt - d.expireAt()) > toleranceMs) {
            return Verdict.atSameVersions(DriftKind.TTL);
        }
        return Verdict.MATCH;
    }

    /**
     * The same bytes as desired (the common case: cache-writer wrote them with the same codec and settings), or else
     * the same content: decoded on both sides and compared, so another compression setting is not drift.
     */
    private static boolean sameContent(ShadowEntry entry, StoredKey observed, long desiredHash) {
        if (ValueHash.of(observed.value()) == desiredHash) {
            return true;
        }
        CacheKeys.Parsed key = new CacheKeys.Parsed(entry.kind(), entry.sessionId(), entry.interactionId());
        try {
            Optional<Long> seen = ValueFingerprint.observed(key, observed.value());
            return seen.isPresent() && seen.get() == ValueFingerprint.desired(entry);
        } catch (CorruptValueException | ClassCastException e) {
            return false;
        }
    }
}
