package dev.mtp.common.version;

/**
 * The one comparison every writer and judge uses (cache-writer, the ingest fast path, the reconciler's fold and
 * repairs, mongo-writer's planners, {@code shadow check}), so the paths commute. Redis scripts implement the same
 * rule server side. See docs/decisions/0001 and 0012:
 * <ul>
 *   <li>nothing stored: apply;</li>
 *   <li>nothing incoming ({@link Version#NONE}) over something stored: stale, unless the write says "nothing yet in the
 *       consumed incarnation" ({@link Version#noneIn}) and the stored fields are of another one: then as below;</li>
 *   <li>the same incarnation: a greater offset applies, an equal one is a duplicate, a lower one is stale;</li>
 *   <li>another incarnation (or one stored before incarnations were recorded): a writer that consumes the incarnation
 *       it writes supersedes it ({@link OtherIncarnations#SUPERSEDE}); a writer that relays keeps it
 *       ({@link OtherIncarnations#KEEP}).</li>
 * </ul>
 */
public final class VersionRule {
    private VersionRule() {}

    /** What a write does to state stored from another incarnation of its topic. */
    public enum OtherIncarnations {
        /** The writer consumes the incarnation it writes: its events are the truth now. */
        SUPERSEDE,
        /** The writer relays what it learned elsewhere (the fast path, a repair from an older entry): it never wins. */
        KEEP
    }

    public enum Decision {
        APPLY, DUPLICATE, STALE,
        /** Stored state is from another incarnation and the writer keeps it ({@link OtherIncarnations#KEEP}). */
        OTHER_INCARNATION
    }

    public static Decision decide(Version incoming, Version stored, OtherIncarnations others) {
        if (stored.isNone()) {
            return incoming.isNone() ? Decision.DUPLICATE : Decision.APPLY;
        }
        if (incoming.isNone()) {
            // Nothing yet, in the consumed incarnation: fields kept from another one are replaced like any others.
            return crossesIncarnation(incoming, stored) ? otherIncarnation(others) : Decision.STALE;
        }
        if (incoming.incarnation().equals(stored.incarnation())) {
            return byOffset(incoming.offset(), stored.offset()); // both unknown too: as before incarnations existed
        }
        return otherIncarnation(others);
    }

    /** True when {@code incoming} meets {@code stored} from another incarnation (writers count these). */
    public static boolean crossesIncarnation(Version incoming, Version stored) {
        if (stored.isNone() || incoming.incarnation().equals(stored.incarnation())) {
            return false;
        }
        return !incoming.isNone() || incoming.incarnation().isKnown();
    }

    private static Decision otherIncarnation(OtherIncarnations others) {
        return others == OtherIncarnations.SUPERSEDE ? Decision.APPLY : Decision.OTHER_INCARNATION;
    }

    private static Decision byOffset(long incomingOffset, long storedOffset) {
        if (incomingOffset > storedOffset) {
            return Decision.APPLY;
        }
        return incomingOffset == storedOffset ? Decision.DUPLICATE : Decision.STALE;
    }
}
