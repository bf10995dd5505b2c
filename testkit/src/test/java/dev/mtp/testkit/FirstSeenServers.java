package dev.mtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The addresses the first test class of this JVM saw; every later class must see the same servers. */
final class FirstSeenServers {

    private static final AtomicReference<List<String>> FIRST = new AtomicReference<>();

    private FirstSeenServers() {
    }

    static void assertSameAsFirst(TestNamespace ns) {
        List<String> addresses = List.of(ns.kafkaBootstrapServers(), ns.redisUrl(), ns.mongoUri());
        FIRST.compareAndSet(null, addresses);
        assertThat(addresses).isEqualTo(FIRST.get());
    }
}
