package dev.mtp.reconciler.check;

import java.util.Locale;

/** What became of the repair a check called for. */
public enum RepairOutcome {
    /** No drift, nothing to repair. */
    NOT_NEEDED,
    /** Written (or removed) under the version guard. */
    APPLIED,
    /** The version guard refused: between the read and the write a writer stored newer state. Nothing to do. */
    SUPERSEDED,
    /** Repairs are off ({@code app.reconciler.repair=false}, or {@code shadow check} without {@code --repair}). */
    REPORTED,
    /** Redis did not answer; the key is checked again later. */
    FAILED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
