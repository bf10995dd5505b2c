package dev.mtp.ops.replay;

/** What a sink's guarded write did with the events of a replay (or, in a dry run, would do). */
public enum Outcome {
    /** Written: the store held nothing of it, or older state. */
    APPLIED,
    /** The store holds this very version already. */
    DUPLICATE,
    /** The store holds newer state: skipped, so a replay never supersedes it. */
    STALE,
    /** The sink refused it for good (what the live app dead-letters). */
    REFUSED
}
