package dev.mtp.reconciler.check;

/** What a round of checks reports to the meters: each key checked, and how long the round took. */
public interface CheckMetrics {

    void checked(CheckOutcome outcome);

    /** One pipelined round of checks against Redis, with its repairs. */
    void batch(long nanos);
}
