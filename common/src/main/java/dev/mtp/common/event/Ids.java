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
        return id != null && VALID.matcher(id).matches();
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
