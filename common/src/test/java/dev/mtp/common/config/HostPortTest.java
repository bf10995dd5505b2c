package dev.mtp.common.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {

    @Test
    void round_trips_ipv4_names_and_ipv6() {
        for (String s : List.of("localhost:9092", "10.0.0.1:1", "[::1]:65535", "[fe80::1%eth0]:9092")) {
            assertThat(HostPort.parse(s)).hasToString(s);
        }
        assertThat(HostPort.join(HostPort.parseList("a:1,b:2"))).isEqualTo("a:1,b:2");
    }

    @Test
    void rejects_bare_ipv6_and_bad_ports() {
        assertThatThrownBy(() -> HostPort.parse("::1:9092")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> HostPort.parse("[::1]9092")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> HostPort.parse("h:0")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new HostPort("h", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
