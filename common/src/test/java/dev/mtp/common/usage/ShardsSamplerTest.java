package dev.mtp.common.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ShardsSamplerTest {

    @Test
    void aKeyIsSampledWhenItsHashModPIsBelowT() {
        ShardsSampler sampler = new ShardsSampler(0.5, 16); // T = 2^23

        assertThat(sampler.sampled(0)).isTrue();
        assertThat(sampler.sampled((1L << 23) - 1)).isTrue();
        assertThat(sampler.sampled(1L << 23)).isFalse();
        assertThat(sampler.sampled((5L << 24) | 7)).as("only hash mod 2^24 counts").isTrue();
        assertThat(sampler.rate()).isEqualTo(0.5);
        assertThat(sampler.read(1L << 23)).isEqualTo(ShardsSampler.NOT_SAMPLED);
    }

    @Test
    void writesAndReadsOfASampledKey() {
        ShardsSampler sampler = new ShardsSampler(1, 16);

        assertThat(sampler.read(42)).isEqualTo(ShardsSampler.NO_WRITE_SEEN);
        assertThat(sampler.write(42, 1_000, 3)).isEqualTo(new ShardsSampler.PreviousWrite(ShardsSampler.NO_WRITE_SEEN, -1, false));
        assertThat(sampler.read(42)).isEqualTo(1_000);
        assertThat(sampler.write(42, 5_000, 2)).isEqualTo(new ShardsSampler.PreviousWrite(1_000, 3, true));
        assertThat(sampler.write(42, 9_000, 2)).isEqualTo(new ShardsSampler.PreviousWrite(5_000, 2, false));
    }

    @Test
    void unreadKeysAreVisited() {
        ShardsSampler sampler = new ShardsSampler(1, 16);
        sampler.write(1, 100, 1);
        sampler.write(2, 200, 5);
        sampler.read(1);

        StringBuilder seen = new StringBuilder();
        sampler.forEachUnread((writeMs, code) -> seen.append(writeMs).append('/').append(code));

        assertThat(seen).hasToString("200/5");
    }

    @Test
    void aFullSamplerLowersTAndKeepsExactlyTheKeysBelowIt() {
        ShardsSampler sampler = new ShardsSampler(1, 64);
        long[] hashes = new long[10_000];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = KeyHash.of("session:" + i);
            sampler.write(hashes[i], i, 1);
        }

        assertThat(sampler.size()).isBetween(48, 64);
        assertThat(sampler.rate()).isLessThan(0.01);
        for (long hash : hashes) {
            assertThat(sampler.read(hash) >= 0).isEqualTo(sampler.sampled(hash));
        }
    }

    /** The sampling state at a million keys stays within the stated bound, and the scaled count estimates the keys. */
    @Test
    void aMillionKeysAtTheDefaultSizeStayWithinTheBound() {
        ShardsSampler sampler = new ShardsSampler(0.001, 8_192);
        double estimated = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (sampler.write(KeyHash.of("interaction:s-" + (i / 10) + ":" + i), i, 1) != null) {
                estimated += 1 / sampler.rate();
            }
        }

        assertThat(ShardsSampler.memoryBound(8_192)).isEqualTo(622_600);
        assertThat(sampler.stateBytes()).isEqualTo(278_528).isLessThan(ShardsSampler.memoryBound(8_192));
        assertThat(sampler.size()).isBetween(900, 1_100);
        assertThat(estimated).isCloseTo(1_000_000, within(100_000.0));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new ShardsSampler(0, 16)).hasMessage("rate must be in (0, 1], not 0.0");
        assertThatThrownBy(() -> new ShardsSampler(0.01, 4)).hasMessage("maxKeys must be at least 16, not 4");
    }
}
