package dev.mtp.ingest.application;

import java.util.List;
import java.util.Map;

/**
 * The size in bytes of a value written as compact JSON in UTF-8 by Jackson, nulls in maps included, counted without
 * writing it: a user map's size limit is checked on every write.
 */
final class CompactJsonSize {
    private CompactJsonSize() {}

    static long of(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Map<?, ?> map) {
            long size = 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += string((String) entry.getKey()) + 1 + of(entry.getValue());
            }
            return size;
        }
        if (value instanceof List<?> list) {
            long size = 2 + Math.max(0, list.size() - 1);
            for (Object item : list) {
                size += of(item);
            }
            return size;
        }
        if (value instanceof Integer || value instanceof Long) {
            return digits(((Number) value).longValue());
        }
        // Boolean, Double, BigInteger, BigDecimal: as Jackson writes them, which is their toString
        return value.toString().length();
    }

    /**
     * Quotes, two-byte escapes for quote, backslash and the common control characters, six-byte ones for the other
     * control characters and for each surrogate (Jackson writes characters beyond the Basic Multilingual Plane as
     * escaped pairs), and each other character's UTF-8 bytes.
     */
    private static long string(String text) {
        long size = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                size += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
            } else if (c == '"' || c == '\\') {
                size += 2;
            } else if (c < 0x80) {
                size += 1;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isSurrogate(c)) {
                size += 6;
            } else {
                size += 3;
            }
        }
        return size;
    }

    private static int digits(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int digits = value < 0 ? 2 : 1;
        for (long rest = Math.abs(value); rest >= 10; rest /= 10) {
            digits++;
        }
        return digits;
    }
}
