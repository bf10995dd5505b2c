package dev.mtp.ingest.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedOriginsTest {
    private final AllowedOrigins defaults = AllowedOrigins.parse(List.of("http://localhost:*", "http://127.0.0.1:*",
            "http://[::1]:*", "https://app.example.com"));

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:3000", "http://localhost", "http://LOCALHOST:1", "http://127.0.0.1:65535",
            "http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]:80", "https://app.example.com", "https://app.example.com:443"})
    void anOriginWithTheSameSchemeHostAndAllowedPortIsAllowed(String origin) {
        assertThat(defaults.allows(origin)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080.evil.example", "http://localhost:abc", "http://localhost.evil",
            "http://localhost:3000/", "http://user@localhost:3000", "https://localhost:3000", "http://localhost:99999",
            "https://app.example.com:8443", "http://app.example.com", "null", "", "localhost:3000",
            "http://evil.example#http://localhost:1"})
    void anythingElseIsNot(String origin) {
        assertThat(defaults.allows(origin)).isFalse();
    }

    @Test
    void aPatternThatIsNoOriginIsRefusedByName() {
        assertThatThrownBy(() -> AllowedOrigins.parse(List.of("http://localhost:*", "localhost:3000")))
                .hasMessageContaining("'localhost:3000' is not an origin pattern");
    }
}
