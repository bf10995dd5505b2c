package dev.mtp.ingest.application;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRoundsTest {

    @Test
    void roundRHoldsTheRthWriteOfEverySessionInRequestOrder() {
        assertThat(BatchRounds.of(List.of("a", "b", "a", "c", "a", "b")))
                .containsExactly(List.of(0, 1, 3), List.of(2, 5), List.of(4));
    }

    @Test
    void writesOfDistinctSessionsAreOneRound() {
        assertThat(BatchRounds.of(List.of("a", "b", "c"))).containsExactly(List.of(0, 1, 2));
        assertThat(BatchRounds.of(List.of())).isEmpty();
    }
}
