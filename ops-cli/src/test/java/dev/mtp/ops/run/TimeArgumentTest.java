package dev.mtp.ops.run;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeArgumentTest {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void readsInstantsUtcDateTimesDatesAndTimesAgo() {
        assertThat(TimeArgument.parse("2026-12-01T08:00:00Z", NOW)).isEqualTo("2026-12-01T08:00:00Z");
        assertThat(TimeArgument.parse("2026-12-01T08:00:00+01:00", NOW)).isEqualTo("2026-12-01T07:00:00Z");
        assertThat(TimeArgument.parse("2026-12-01T08:00", NOW)).isEqualTo("2026-12-01T08:00:00Z");
        assertThat(TimeArgument.parse("2026-12-01", NOW)).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(TimeArgument.parse("36h", NOW)).isEqualTo("2026-12-06T00:00:00Z");
        assertThat(TimeArgument.parse("7d", NOW)).isEqualTo("2026-11-30T12:00:00Z");
        assertThat(TimeArgument.parse("90m", NOW)).isEqualTo("2026-12-07T10:30:00Z");
    }

    @Test
    void anythingElseSaysWhichFormsItTakes() {
        assertThatThrownBy(() -> TimeArgument.parse("yesterday", NOW))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("'yesterday' is not a time: expected " + TimeArgument.FORMS);
    }
}
