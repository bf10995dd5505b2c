package dev.mtp.chaos.check;

/**
 * One difference between the stores and the contract.
 *
 * @param where the document ({@code sessions/ID}) or key it is about
 */
public record Finding(Kind kind, String where, String detail) {

    public enum Kind {
        /** Something acknowledged or expected is in no store. */
        LOST,
        /** Something is there with another value, TTL or shape than the contract says, or should not be there. */
        WRONG,
        /** A read returned an older state than one returned before. */
        REGRESSION
    }

    @Override
    public String toString() {
        return kind + " " + where + ": " + detail;
    }
}
