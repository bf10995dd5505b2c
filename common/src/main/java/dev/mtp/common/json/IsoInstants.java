package dev.mtp.common.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads and writes the instants of the event contract and of cache-writer's states. Every event carries one, and
 * {@link Instant#parse} and {@link Instant#toString} (a general {@code DateTimeFormatter}) cost a writer more CPU than
 * the rest of the envelope. The form producers write, {@code 2026-01-31T12:00:00Z} with an optional fraction of up to
 * nine digits, is read directly; anything else goes to {@link Instant#parse}, which accepts or refuses it as before.
 * {@link #format} writes exactly what {@link Instant#toString} writes.
 */
public final class IsoInstants {
    private IsoInstants() {}

    /** @throws java.time.format.DateTimeParseException as {@link Instant#parse} does */
    public static Instant parse(CharSequence text) {
        Instant fast = parseCanonical(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The same text as {@link Instant#toString}: the fraction in groups of three digits, as many as needed. */
    public static String format(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        long epochDay = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        if (epochDay < MIN_FAST_EPOCH_DAY || epochDay > MAX_FAST_EPOCH_DAY) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        StringBuilder sb = new StringBuilder(30);
        pad(sb, date.getYear(), 4).append('-');
        pad(sb, date.getMonthValue(), 2).append('-');
        pad(sb, date.getDayOfMonth(), 2).append('T');
        pad(sb, secondOfDay / 3_600, 2).append(':');
        pad(sb, secondOfDay / 60 % 60, 2).append(':');
        pad(sb, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            sb.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(sb, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(sb, nanos / 1_000, 6);
            } else {
                pad(sb, nanos, 9);
            }
        }
        return sb.append('Z').toString();
    }

    /** Years 0000 to 9999: four digits, no sign, which is where {@link Instant#toString} has no special cases. */
    private static final long MIN_FAST_EPOCH_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long MAX_FAST_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }

    /** The instant when the text is in the canonical UTC form with valid fields, else null. */
    static Instant parseCanonical(CharSequence s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fractionDigits = n - 21;
            if (s.charAt(19) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = digits(s, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of {@code count} ASCII digits from {@code from}, or -1 if one is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
