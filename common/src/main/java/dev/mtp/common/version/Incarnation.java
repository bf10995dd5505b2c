package dev.mtp.common.version;

import java.util.regex.Pattern;

/**
 * One life of a topic: the topic id Kafka gave it when it was created (KIP-516), shortened to the tag stored beside
 * versions. A topic recreated under the same name, the same name on another cluster, and a MirrorMaker copy all have
 * other ids, so offsets of one incarnation are never compared with another's (docs/decisions/0012).
 *
 * @param tag the first {@value #TAG_LENGTH} characters of the topic id's base64 form, or empty for state stored before
 *            incarnations were recorded ({@link #UNKNOWN})
 */
public record Incarnation(String tag) {

    public static final int TAG_LENGTH = 8;

    /** The incarnation of state stored before incarnations were recorded: another incarnation than any known one. */
    public static final Incarnation UNKNOWN = new Incarnation("");

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{" + TAG_LENGTH + "}");

    public Incarnation {
        if (tag == null || !(tag.isEmpty() || TAG.matcher(tag).matches())) {
            throw new IllegalArgumentException("an incarnation tag is " + TAG_LENGTH
                    + " characters of A-Z a-z 0-9 _ -, not '" + tag + "'");
        }
    }

    /** The incarnation of a topic from its id as Kafka prints it ({@code Uuid.toString()}: 22 base64url characters). */
    public static Incarnation ofTopicId(String topicId) {
        if (topicId == null || topicId.length() < TAG_LENGTH) {
            throw new IllegalArgumentException("not a topic id: '" + topicId + "'");
        }
        return new Incarnation(topicId.substring(0, TAG_LENGTH));
    }

    /** Reads a stored tag; empty or absent is {@link #UNKNOWN}. */
    public static Incarnation parse(String tag) {
        return tag == null || tag.isEmpty() ? UNKNOWN : new Incarnation(tag);
    }

    public boolean isKnown() {
        return !tag.isEmpty();
    }

    @Override
    public String toString() {
        return isKnown() ? tag : "unknown";
    }
}
