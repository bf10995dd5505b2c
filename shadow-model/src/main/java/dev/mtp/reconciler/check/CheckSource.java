package dev.mtp.reconciler.check;

import java.util.Locale;

/** Why a key was checked. */
public enum CheckSource {
    /** Shortly after the key changed ({@code app.reconciler.check-delay-ms}). */
    TARGETED,
    /** The slow full sweep ({@code app.reconciler.sweep-period-ms}). */
    SWEEP,
    /** The fast sweep after Redis lost data (canary gone). */
    RECOVERY,
    /** {@code ./mtp shadow check}. */
    CLI;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
