package dev.mtp.common.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoInstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-31T12:00:00Z", "2026-11-25T10:15:30.5Z", "2026-11-25T10:15:30.123Z",
            "2026-11-25T10:15:30.123456789Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
            "2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.000000001Z"})
    void theCanonicalFormIsReadDirectlyAndAsInstantParseReadsIt(String text) {
        assertThat(IsoInstants.parseCanonical(text)).isNotNull().isEqualTo(Instant.parse(text));
    }

    @Test
    void randomInstantsRoundTrip() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            assertThat(IsoInstants.parse(instant.toString())).isEqualTo(instant);
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-31T12:00:00Z", "2026-01-31T12:00:00.100Z", "2026-01-31T12:00:00.000100Z",
            "2026-01-31T12:00:00.000000100Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"})
    void formatWritesWhatInstantToStringWrites(String text) {
        Instant instant = Instant.parse(text);
        assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-31T12:00:00+01:00", "2026-01-31T12:00:00.Z", "+12026-01-31T12:00:00Z"})
    void otherFormsGoToInstantParse(String text) {
        assertThat(IsoInstants.parseCanonical(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-02-30T12:00:00Z", "2026-13-01T12:00:00Z", "2026-01-31T25:00:00Z",
            "2026-01-31T12:60:00Z", "2026-01-31 12:00:00Z", "2026-01-31T12:00:00.1234567890Z", "2026-01-31T12:00:00",
            "2026-0a-31T12:00:00Z"})
    void whatInstantParseRefusesIsRefused(String text) {
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
