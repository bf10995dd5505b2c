package dev.mtp.common.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hides secrets in values that are logged or shown: whole secret values, passwords inside URIs. */
public final class Masking {

    /** What a hidden value is shown as. */
    public static final String MASK = "****";

    // scheme://userinfo@ : the userinfo runs to the last '@' before the path. '?' and '#' are allowed in it on
    // purpose: an unencoded password like "p#ss" must still be masked whole (over-masking beats leaking).
    private static final Pattern URI_USERINFO =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/\\s]*)@");
    private static final Pattern SECRET_QUERY_PARAM = Pattern.compile(
            "([?&;][^=&;#\\s]*(?:password|passwd|pwd|secret|token|credential)[^=&;#\\s]*=)([^&;#\\s]*)",
            Pattern.CASE_INSENSITIVE);

    private Masking() {}

    /**
     * Masks the password part of every URI in {@code text}: {@code redis://:pw@host} becomes
     * {@code redis://:****@host}, {@code mongodb://user:pw@h1,h2/db} becomes {@code mongodb://user:****@h1,h2/db}.
     * A user-info without {@code ':'} is masked whole, since Redis reads {@code redis://secret@host} as a password.
     * Query parameters named like a password, secret or token are masked too.
     */
    public static String maskUris(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        Matcher m = URI_USERINFO.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            String masked = colon >= 0 ? userInfo.substring(0, colon) + ":" + MASK : MASK;
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + masked + "@"));
        }
        m.appendTail(sb);
        Matcher q = SECRET_QUERY_PARAM.matcher(sb.toString());
        return q.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + (r.group(2).isEmpty() ? "" : MASK)));
    }

    /** The value as it may be shown for this key: {@link #MASK} for a set secret, URI passwords masked otherwise. */
    public static String forDisplay(ConfigKey<?> key, String text) {
        if (text == null) {
            return "";
        }
        if (key.isSecret()) {
            return text.isEmpty() ? "" : MASK;
        }
        return maskUris(text);
    }
}
