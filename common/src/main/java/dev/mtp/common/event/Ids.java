package dev.mtp.common.event;

import java.util.regex.Pattern;

/**
 * The rule for every identifier (session, interaction, user): 1 to 128 characters of
 * letters, digits, '.', '_', ':' and '-'. Ids become Redis keys and MongoDB _ids, so no
 * spaces, braces (Redis hash tags) or '$'.
 */
public final class Ids {
    public static final int MAX_LENGTH = 128;
    public static final String RULE = "must be 1-" + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : -";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private Ids() {}

    public static boolean isValid(String id) {
        // The rule of VALID, checked by hand: writers check every id of every event, key and state they touch,
        // which makes this a hot path where a regex match is too costly.
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The rule as a regular expression, for documentation and schemas; {@link #isValid} implements it. */
    static Pattern pattern() {
        return VALID;
    }

    public static String require(String field, String id) {
        if (id == null) {
            throw new InvalidEventException(field, "is required");
        }
        if (!isValid(id)) {
            throw new InvalidEventException(field, RULE);
        }
        return id;
    }
}
