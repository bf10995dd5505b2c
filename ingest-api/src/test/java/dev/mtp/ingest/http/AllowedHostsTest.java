package dev.mtp.ingest.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedHostsTest {

    @Test
    void loopbackNamesAllowAnyPortAndNothingElse() {
        AllowedHosts loopback = AllowedHosts.parse(AllowedHosts.LOOPBACK);

        assertThat(List.of("localhost", "localhost:8080", "LocalHost:1", "127.0.0.1:8080", "[::1]:8080",
                "[0:0:0:0:0:0:0:1]")).allMatch(loopback::allows);
        assertThat(List.of("attacker.rebind.example:8080", "localhost.evil:8080", "localhost:8080.evil", "127.0.0.2",
                "localhost:abc", "", "[::2]:8080")).noneMatch(loopback::allows);
        assertThat(loopback.allows(null)).isFalse();
    }

    @Test
    void aPortNamedInAnEntryIsTheOnlyOneAllowed() {
        AllowedHosts hosts = AllowedHosts.parse(List.of("ingest.example.com", "10.0.0.5:8080", "api.example.com:*"));

        assertThat(hosts.allows("ingest.example.com:443")).isTrue();
        assertThat(hosts.allows("10.0.0.5:8080")).isTrue();
        assertThat(hosts.allows("10.0.0.5:8081")).isFalse();
        assertThat(hosts.allows("10.0.0.5")).isFalse();
        assertThat(hosts.allows("api.example.com:9")).isTrue();
        assertThat(hosts.allows("localhost")).isFalse();
    }

    @Test
    void anAsteriskAllowsEveryHostAndABadOrEmptyListIsNamed() {
        assertThat(AllowedHosts.parse(List.of("*")).allows("anything.example")).isTrue();
        assertThatThrownBy(() -> AllowedHosts.parse(List.of("ok.example", "http://x"))).hasMessageContaining("'http://x' is not a host");
        assertThatThrownBy(() -> AllowedHosts.parse(List.of())).hasMessageContaining("names no host");
    }

    @Test
    void theDefaultForALoopbackBindIsTheLoopbackNames() {
        assertThat(LocalNames.defaultAllowedHosts("127.0.0.1")).isEqualTo(AllowedHosts.LOOPBACK);
        assertThat(LocalNames.defaultAllowedHosts("0.0.0.0")).containsAll(AllowedHosts.LOOPBACK).hasSizeGreaterThan(3);
    }
}
