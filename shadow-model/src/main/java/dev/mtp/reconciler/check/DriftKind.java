package dev.mtp.reconciler.check;

/**
 * What a check found when it compared a key's desired state (KVShadow) with Redis. Everything but {@link #MATCH} and
 * {@link #AHEAD} is drift, and each kind of drift has one repair.
 */
public enum DriftKind {
    /** Redis holds exactly the desired value, versions and expiry (or nothing, where nothing is desired). */
    MATCH(false, "consistent"),
    /**
     * Redis holds newer versions than the shadow (or versions the shadow has not reached in every topic): a writer
     * is ahead of the reconciler, which will see those events itself. Consistent, nothing to do.
     */
    AHEAD(false, "redis is ahead of the shadow"),
    /** The key should hold a value and does not (absent, or an older tombstone). Repair: write it. */
    MISSING(true, "key missing"),
    /** The key holds older versions than desired. Repair: write the desired value (version-guarded). */
    STALE(true, "stale version"),
    /**
     * The key holds versions of another incarnation of a topic than the desired ones (written in another life of the
     * topic, or before incarnations were recorded), whatever their offsets (docs/decisions/0012). Repair: the guarded
     * write, superseding the value only when the shadow's entry is of the incarnations consumed now.
     */
    OTHER_INCARNATION(true, "other incarnation"),
    /** The versions are right, the expiry is absent or not the desired one. Repair: rewrite with the right expiry. */
    TTL(true, "wrong or absent TTL"),
    /** The versions are right, the content is not (or unreadable). Repair: rewrite the value. */
    VALUE(true, "wrong value at the right version"),
    /** A value is present that should not be: strategy NONE, session deleted, or expired as planned. Repair: remove. */
    UNWANTED(true, "present but should not be");

    private final boolean drift;
    private final String description;

    DriftKind(boolean drift, String description) {
        this.drift = drift;
        this.description = description;
    }

    public boolean isDrift() {
        return drift;
    }

    public String description() {
        return description;
    }

    /** Lower-case name for metric tags, JSON and the CLI: "missing", "ttl". */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
