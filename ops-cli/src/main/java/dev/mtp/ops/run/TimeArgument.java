package dev.mtp.ops.run;

import picocli.CommandLine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time on the command line: an ISO-8601 instant ({@code 2026-12-01T08:00:00Z}), a UTC date and time
 * without zone ({@code 2026-12-01T08:00}), a UTC date ({@code 2026-12-01}, its midnight), or a time ago ({@code 90m},
 * {@code 36h}, {@code 7d}).
 */
public final class TimeArgument implements CommandLine.ITypeConverter<Instant> {

    public static final String FORMS = "an ISO-8601 instant (2026-12-01T08:00:00Z), a UTC date-time (2026-12-01T08:00), "
            + "a UTC date (2026-12-01) or a time ago (90m, 36h, 7d)";
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhd])");

    @Override
    public Instant convert(String value) {
        return parse(value, Instant.now());
    }

    /** The instant {@code value} names, "ago" counted back from {@code now}. */
    public static Instant parse(String value, Instant now) {
        String v = value.strip();
        Matcher ago = AGO.matcher(v);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration d = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            // not an instant: try the zone-less forms
        }
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a date-time either
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a time: expected " + FORMS);
        }
    }
}
