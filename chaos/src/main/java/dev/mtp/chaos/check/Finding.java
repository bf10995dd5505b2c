package dev.mtp.chaos.check;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One difference between the stores and the contract.
 *
 * @param store where it was found
 * @param where the document ({@code sessions/ID}), key or topic position it is about
 */
public record Finding(Kind kind, Store store, String where, String detail) {

    public enum Kind {
        /** Something acknowledged or expected is in no store. */
        LOST,
        /** Something is there with another value, TTL or shape than the contract says, or should not be there. */
        WRONG,
        /** A read returned an older state than one returned before. */
        REGRESSION
    }

    public enum Store {
        MONGODB,
        REDIS,
        /** The topics: an acknowledged event missing, or consumer groups that never caught up. */
        KAFKA,
        /** What the ingest answered to reads. */
        READS,
        /** The check itself could not finish. */
        CHECKER
    }

    /** How many findings of each kind each store has, for a report that lists only some of them. */
    public static Map<Store, Map<Kind, Long>> tally(List<Finding> findings) {
        Map<Store, Map<Kind, Long>> tally = new EnumMap<>(Store.class);
        for (Finding f : findings) {
            tally.computeIfAbsent(f.store(), s -> new EnumMap<>(Kind.class)).merge(f.kind(), 1L, Long::sum);
        }
        return tally;
    }

    @Override
    public String toString() {
        return kind + " " + where + ": " + detail;
    }
}
