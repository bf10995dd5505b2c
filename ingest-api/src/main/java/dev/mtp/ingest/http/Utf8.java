package dev.mtp.ingest.http;

/**
 * Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no encoded surrogates, nothing above U+10FFFF. A JSON
 * body also never holds a NUL byte (a control character must be escaped inside a string, and is not whitespace), so
 * one is refused here too: it is what a UTF-16 or UTF-32 body, which the JSON parser would otherwise detect and
 * accept, looks like.
 */
final class Utf8 {
    private Utf8() {}

    /** @return the offset of the first byte that breaks the rules, or -1 when all of {@code bytes[0..length)} keep them */
    static int firstInvalid(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            int b = bytes[i];
            if (b > 0) {
                i++;
                continue;
            }
            if (b == 0) {
                return i;
            }
            int lead = b & 0xFF;
            int continuations;
            int min;
            if (lead >= 0xC2 && lead <= 0xDF) {
                continuations = 1;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                continuations = 2;
                min = 0x800;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                continuations = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + continuations >= length) {
                return i;
            }
            int codePoint = lead & (0x3F >> continuations);
            for (int k = 1; k <= continuations; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return i;
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return i;
            }
            i += continuations + 1;
        }
        return -1;
    }
}
