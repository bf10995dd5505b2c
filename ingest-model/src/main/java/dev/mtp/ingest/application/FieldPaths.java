package dev.mtp.ingest.application;

/**
 * How an error names a field: a path into the request, {@code context.topic} for plain keys and
 * {@code context["user.name"]} for any other, {@code [3]} for an array item.
 */
public final class FieldPaths {
    private FieldPaths() {}

    /** The path of {@code key} inside the object at {@code parent} ("" for the top level). */
    public static String child(String parent, String key) {
        if (isPlain(key)) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** Letters, digits, '_' and '-' only: printed after a dot, anything else in brackets and quotes. */
    private static boolean isPlain(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
