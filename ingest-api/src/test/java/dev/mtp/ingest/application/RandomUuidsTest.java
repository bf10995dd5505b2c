package dev.mtp.ingest.application;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class RandomUuidsTest {
    private final RandomUuids uuids = new RandomUuids();

    @Test
    void theyAreVersion4InTheIetfVariant() {
        for (int i = 0; i < 1_000; i++) {
            UUID uuid = uuids.get();

            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(UUID.fromString(uuid.toString())).isEqualTo(uuid);
        }
    }

    @Test
    void everyOneDiffersAcrossThreads() throws InterruptedException {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seen.add(uuids.get());
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(seen).hasSize(40_000);
    }
}
