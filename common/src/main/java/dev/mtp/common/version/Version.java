package dev.mtp.common.version;

import java.util.Objects;

/**
 * The version of the fields one topic owns ({@link FieldOwner}): an offset in one incarnation of that topic
 * (docs/decisions/0001, 0012). {@link #NONE} is the version of fields no event has written; {@link #noneIn} says that
 * no event of the given incarnation has written them, which a consumer of that incarnation uses to replace fields a
 * value kept from another incarnation (a session's interaction summary, when the session has no interaction yet in
 * the consumed incarnation).
 */
public record Version(Incarnation incarnation, long offset) {

    /** The offset of fields no event has written yet. */
    public static final long NO_OFFSET = -1L;

    public static final Version NONE = new Version(Incarnation.UNKNOWN, NO_OFFSET);

    public Version {
        Objects.requireNonNull(incarnation, "incarnation");
        if (offset < NO_OFFSET) {
            throw new IllegalArgumentException("offset must be >= -1, was " + offset);
        }
    }

    /** An offset in an incarnation; -1 is {@link #NONE}, whatever the incarnation. */
    public static Version of(Incarnation incarnation, long offset) {
        return offset == NO_OFFSET ? NONE : new Version(incarnation, offset);
    }

    /** No event of this incarnation yet. */
    public static Version noneIn(Incarnation incarnation) {
        return new Version(incarnation, NO_OFFSET);
    }

    /** This version, or {@link #noneIn} the consumed incarnation when no event wrote it. */
    public Version orNoneIn(Incarnation consumed) {
        return isNone() && !incarnation.isKnown() ? noneIn(consumed) : this;
    }

    /**
     * Reads the {@link #toString} form: {@code 12.AbCdEfGh}; {@code 12} (written before incarnations were recorded) is
     * read with {@link Incarnation#UNKNOWN}; {@code -1.<tag>} is {@link #noneIn} that incarnation.
     *
     * @throws IllegalArgumentException when it is not of that form
     */
    public static Version parse(String text) {
        int dot = text.indexOf('.');
        long offset = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
        Incarnation incarnation = dot < 0 ? Incarnation.UNKNOWN : new Incarnation(text.substring(dot + 1));
        return offset == NO_OFFSET ? noneIn(incarnation) : of(incarnation, offset);
    }

    public boolean isNone() {
        return offset == NO_OFFSET;
    }

    /** {@code 12.AbCdEfGh}, {@code 12} when the incarnation is unknown, {@code -1} or {@code -1.AbCdEfGh} for none. */
    @Override
    public String toString() {
        return incarnation.isKnown() ? offset + "." + incarnation.tag() : Long.toString(offset);
    }
}
