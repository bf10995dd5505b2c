package dev.mtp.common.version;

import java.util.Objects;

/**
 * The version of the fields one topic owns ({@link FieldOwner}): an offset in one incarnation of that topic
 * (docs/decisions/0001, 0012). {@link #NONE} is the version of fields no event has written.
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
        if (offset == NO_OFFSET && incarnation.isKnown()) {
            incarnation = Incarnation.UNKNOWN; // no event: nothing to scope
        }
    }

    public static Version of(Incarnation incarnation, long offset) {
        return offset == NO_OFFSET ? NONE : new Version(incarnation, offset);
    }

    public boolean isNone() {
        return offset == NO_OFFSET;
    }

    /** {@code 12.AbCdEfGh}, {@code 12} when the incarnation is unknown, {@code -1} for none. */
    @Override
    public String toString() {
        return incarnation.isKnown() ? offset + "." + incarnation.tag() : Long.toString(offset);
    }
}
