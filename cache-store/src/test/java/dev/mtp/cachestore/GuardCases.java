package dev.mtp.cachestore;

import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;

import java.util.List;

import static dev.mtp.common.version.VersionRule.Decision.APPLY;
import static dev.mtp.common.version.VersionRule.Decision.DUPLICATE;
import static dev.mtp.common.version.VersionRule.Decision.OTHER_INCARNATION;
import static dev.mtp.common.version.VersionRule.Decision.STALE;
import static dev.mtp.common.version.VersionRule.OtherIncarnations.KEEP;
import static dev.mtp.common.version.VersionRule.OtherIncarnations.SUPERSEDE;

/**
 * One table of guard cases, run through {@link VersionVector#decide} ({@code VersionVectorTest}) and through the Lua
 * guard on a real redis-server ({@code GuardParityIT}), so the two cannot drift apart. Versions are in header form;
 * {@code AAAAAAAA}/{@code BBBBBBBB} are the incarnations being written, {@code OOOOOOOO}/{@code PPPPPPPP} others.
 *
 * @param stored  null: nothing stored
 * @param crosses the write applies over a component of another incarnation (cache-writer counts these)
 */
record GuardCases(String why, String incoming, String stored, OtherIncarnations others, Decision expected,
                  boolean crosses) {

    static final List<GuardCases> ALL = List.of(
            c("nothing stored", "5.AAAAAAAA", null, KEEP, APPLY, false),
            c("greater offset, same incarnation", "6.AAAAAAAA", "5.AAAAAAAA", KEEP, APPLY, false),
            c("offsets compare as numbers", "10.AAAAAAAA", "9.AAAAAAAA", KEEP, APPLY, false),
            c("equal: a redelivery", "5.AAAAAAAA", "5.AAAAAAAA", SUPERSEDE, DUPLICATE, false),
            c("lower offset: a replay", "4.AAAAAAAA", "5.AAAAAAAA", SUPERSEDE, STALE, false),
            c("another incarnation, consumer", "0.AAAAAAAA", "9.OOOOOOOO", SUPERSEDE, APPLY, true),
            c("another incarnation at the same offset, consumer", "5.AAAAAAAA", "5.OOOOOOOO", SUPERSEDE, APPLY, true),
            c("another incarnation, relay", "0.AAAAAAAA", "9.OOOOOOOO", KEEP, OTHER_INCARNATION, false),
            c("untagged (written before incarnations), consumer", "0.AAAAAAAA", "9", SUPERSEDE, APPLY, true),
            c("untagged (written before incarnations), relay", "0.AAAAAAAA", "9", KEEP, OTHER_INCARNATION, false),
            c("both untagged: offsets as before", "12,7", "12,6", KEEP, APPLY, false),
            c("session: one component greater", "10.AAAAAAAA,6.BBBBBBBB", "10.AAAAAAAA,5.BBBBBBBB", KEEP, APPLY,
                    false),
            c("session: newer session fields cannot take the summary back", "11.AAAAAAAA,4.BBBBBBBB",
                    "10.AAAAAAAA,5.BBBBBBBB", SUPERSEDE, STALE, false),
            c("session: both components of another incarnation", "0.AAAAAAAA,0.BBBBBBBB", "90.OOOOOOOO,40.PPPPPPPP",
                    SUPERSEDE, APPLY, true),
            c("session: one crosses, the other is a duplicate", "0.AAAAAAAA,5.BBBBBBBB", "90.OOOOOOOO,5.BBBBBBBB",
                    SUPERSEDE, APPLY, true),
            c("mixed: one crosses, the other is stale in its incarnation", "0.AAAAAAAA,4.BBBBBBBB",
                    "90.OOOOOOOO,5.BBBBBBBB", SUPERSEDE, STALE, false),
            c("mixed, relay: another incarnation kept, the other greater", "0.AAAAAAAA,6.BBBBBBBB",
                    "90.OOOOOOOO,5.BBBBBBBB", KEEP, OTHER_INCARNATION, false),
            c("mixed, relay: stale wins over another incarnation", "0.AAAAAAAA,4.BBBBBBBB", "90.OOOOOOOO,5.BBBBBBBB",
                    KEEP, STALE, false),
            c("session: no interaction on either side", "0.AAAAAAAA,-1", "90.OOOOOOOO,-1", SUPERSEDE, APPLY, true),
            c("session: nothing stored for a component", "5.AAAAAAAA,0.BBBBBBBB", "5.AAAAAAAA,-1", KEEP, APPLY,
                    false),
            c("session: no event cannot replace one (the fast path's session.created)", "3.AAAAAAAA,-1",
                    "2.AAAAAAAA,7.BBBBBBBB", KEEP, STALE, false),
            c("session: no event cannot replace one, even of another incarnation", "0.AAAAAAAA,-1",
                    "90.OOOOOOOO,40.PPPPPPPP", SUPERSEDE, STALE, false),
            c("session: nothing yet in the consumed incarnation replaces a summary kept from another",
                    "0.AAAAAAAA,-1.BBBBBBBB", "90.OOOOOOOO,40.PPPPPPPP", SUPERSEDE, APPLY, true),
            c("session: the same, relayed", "0.AAAAAAAA,-1.BBBBBBBB", "90.OOOOOOOO,40.PPPPPPPP", KEEP,
                    OTHER_INCARNATION, false),
            c("session: nothing yet in an incarnation cannot replace a summary of that incarnation",
                    "3.AAAAAAAA,-1.BBBBBBBB", "2.AAAAAAAA,7.BBBBBBBB", SUPERSEDE, STALE, false),
            c("session: nothing yet, tagged or not, is the same nothing", "0.AAAAAAAA,-1.BBBBBBBB", "0.AAAAAAAA,-1",
                    SUPERSEDE, DUPLICATE, false),
            c("upgrade: a component carried over untagged beside a new one", "6.AAAAAAAA,8", "5,8", SUPERSEDE,
                    APPLY, true),
            c("upgrade: the same, relayed", "6.AAAAAAAA,8", "5,8", KEEP, OTHER_INCARNATION, false),
            c("a value of another layout is replaced", "5.AAAAAAAA", "5.AAAAAAAA,3.BBBBBBBB", KEEP, APPLY, false));

    private static GuardCases c(String why, String incoming, String stored, OtherIncarnations others,
                                Decision expected, boolean crosses) {
        return new GuardCases(why, incoming, stored, others, expected, crosses);
    }

    /** What {@link VersionVector} decides for this case. */
    Decision javaDecision() {
        return VersionVector.parse(incoming).decide(storedVector(), others);
    }

    boolean javaCrosses() {
        return javaDecision() == APPLY && VersionVector.parse(incoming).crossesIncarnation(storedVector());
    }

    private VersionVector storedVector() {
        return stored == null ? null : VersionVector.parse(stored);
    }

    @Override
    public String toString() {
        return why + ": " + incoming + " over " + stored + " (" + others + ")";
    }
}
