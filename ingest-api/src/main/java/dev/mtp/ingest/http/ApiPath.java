package dev.mtp.ingest.http;

import dev.mtp.common.event.Ids;
import dev.mtp.ingest.application.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The segments of a JSON API path as the client sent them. Taken from the raw request URI, not from
 * {@code getPathInfo()}: the servlet container drops path parameters there ({@code victim;evil} becomes
 * {@code victim}), and an id must be refused for a character outside its rule, never cut short.
 */
final class ApiPath {
    private ApiPath() {}

    /** @return the raw (still percent-encoded) segments after {@code prefix}; [""] for the prefix itself */
    static List<String> segments(HttpServletRequest request, String prefix) {
        String uri = request.getRequestURI();
        String rest = uri.startsWith(prefix + "/") ? uri.substring(prefix.length() + 1) : "";
        return List.of(rest.split("/", -1));
    }

    /** A path segment that names an entity: percent-decoded once, then held to the id rule. */
    static String id(String field, String segment) {
        String decoded = percentDecoded(segment);
        if (decoded == null || !Ids.isValid(decoded)) {
            String shown = segment.length() > 140 ? segment.substring(0, 140) + "..." : segment;
            throw new InvalidInputException(field, Ids.RULE + "; the path segment was '" + shown + "'");
        }
        return decoded;
    }

    /** @return the segment with its %XX escapes decoded as UTF-8, or null when an escape is malformed or a character
     * is not ASCII (a raw URI has none; no id holds one) */
    private static String percentDecoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c > 0x7f) {
                return null;
            }
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= segment.length()) {
                return null;
            }
            int high = Character.digit(segment.charAt(i + 1), 16);
            int low = Character.digit(segment.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
