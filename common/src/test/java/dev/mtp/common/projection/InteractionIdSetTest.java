package dev.mtp.common.projection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InteractionIdSetTest {

    @Test
    void aSetReadBackFromItsSortedDigestsEqualsTheSet() {
        InteractionIdSet set = InteractionIdSet.EMPTY.with("int-1").with("int-2").with("int-3");

        InteractionIdSet back = InteractionIdSet.ofSortedDigests(set.digests());

        assertThat(back).isEqualTo(set);
        assertThat(back.contains("int-2")).isTrue();
        assertThat(InteractionIdSet.ofSortedDigests(new long[0])).isSameAs(InteractionIdSet.EMPTY);
    }

    @Test
    void digestsOutOfOrderOrRepeatedAreRefused() {
        assertThatThrownBy(() -> InteractionIdSet.ofSortedDigests(new long[] {3, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 1");
        assertThatThrownBy(() -> InteractionIdSet.ofSortedDigests(new long[] {1, 2, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2");
    }
}
