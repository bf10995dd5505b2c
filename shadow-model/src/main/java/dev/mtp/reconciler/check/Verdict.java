package dev.mtp.reconciler.check;

import java.util.Objects;

/**
 * What a check decided for one key.
 *
 * @param kind         the drift found (or MATCH / AHEAD)
 * @param sameVersions Redis holds exactly the desired versions: the version guard (incoming must be newer) would
 *                     refuse a repair, so it is a compare-and-set of the exact value read instead
 */
public record Verdict(DriftKind kind, boolean sameVersions) {

    public static final Verdict MATCH = new Verdict(DriftKind.MATCH, false);
    public static final Verdict AHEAD = new Verdict(DriftKind.AHEAD, false);

    public Verdict {
        Objects.requireNonNull(kind, "kind");
    }

    static Verdict of(DriftKind kind) {
        return new Verdict(kind, false);
    }

    static Verdict atSameVersions(DriftKind kind) {
        return new Verdict(kind, true);
    }
}
