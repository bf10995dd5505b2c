package dev.mtp.ops.where;

import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.OtherIncarnations;

import java.util.Locale;
import java.util.Optional;

/**
 * How one store stands to one event of a session, as {@code where} marks it: what the store's writer would decide if
 * the event came again now ({@link VersionRule}, docs/decisions/0001, 0012), judged against the version of the event's
 * topic the store holds for the session. A replay shows as {@code stale}: the store holds a newer event of the topic.
 */
public enum EventMark {
    APPLY, DUPLICATE, STALE, OTHER_INCARNATION,
    /** The store holds no key or document for the session. */
    ABSENT,
    /** The store did not answer. */
    UNAVAILABLE;

    public static final String LEGEND = "marks: what each store's writer would decide if the event came again now:"
            + " apply = not in the store yet; duplicate = the newest event of its topic the store holds;"
            + " stale = the store holds a newer event of its topic; other-incarnation = the store holds its topic"
            + " from an incarnation other than the topic's now (the writer supersedes it); absent = no key or document";

    /**
     * @param event  the event's version: its offset in the incarnation of its topic now
     * @param stored the version of the event's topic the store holds for the session; empty when it holds nothing
     */
    public static EventMark of(Version event, Optional<Version> stored) {
        return stored.map(s -> switch (VersionRule.decide(event, s, OtherIncarnations.KEEP)) {
            case APPLY -> APPLY;
            case DUPLICATE -> DUPLICATE;
            case STALE -> STALE;
            case OTHER_INCARNATION -> OTHER_INCARNATION;
        }).orElse(ABSENT);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
