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
    /**
     * The guard kept a value of another incarnation: the entry is from an earlier life of its topic, and a repair from
     * it never takes a current value back (docs/decisions/0012). The key's next event makes the entry current.
     */
    KEPT,
    /**
     * Not written: the entry's versions were stored before incarnations were recorded, and no writer writes a version
     * without one any more (docs/decisions/0012). The key's next event makes the entry current.
     */
    UNSCOPED,
    /** Repairs are off ({@code app.reconciler.repair=false}, or {@code shadow check} without {@code --repair}). */
    REPORTED,
    /** Redis did not answer; the key is checked again later. */
    FAILED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
