package dev.mtp.common.event;

/**
 * The topics of the pipeline by their job. Names are {@code <prefix><base>.v<version>}; the
 * version changes only with an incompatible contract change, which gets new topics.
 */
public enum TopicRole {
    /** Session lifecycle: created, updated, closed, deleted. Owns the session fields. */
    SESSIONS("sessions"),
    /** Interactions recorded. Owns interaction documents and a session's interaction summary. */
    INTERACTIONS("interactions"),
    /** Evaluations, readable by analysts without chat content. Owns evaluation data. */
    EVALUATIONS("evaluations"),
    /** Records a writer could not apply, with headers saying why. */
    DEAD_LETTER("deadletter");

    private final String baseName;

    TopicRole(String baseName) { this.baseName = baseName; }

    public String baseName() { return baseName; }
}
