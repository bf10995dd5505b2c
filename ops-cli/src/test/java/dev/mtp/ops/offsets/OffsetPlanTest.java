package dev.mtp.ops.offsets;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetPlanTest {

    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);
    static final Map<TopicPartition, Long> EARLIEST = Map.of(P0, 10L, P1, 0L);
    static final Map<TopicPartition, Long> LATEST = Map.of(P0, 50L, P1, 5L);

    private static OffsetPlan plan(ResetTarget target, Map<TopicPartition, Long> committed) {
        return OffsetPlan.of(List.of(P1, P0), target, committed, EARLIEST, LATEST, Map.of(P0, 20L, P1, 5L));
    }

    @Test
    void earliestAndLatestAreWhatEachPartitionHolds() {
        OffsetPlan earliest = plan(new ResetTarget.Earliest(), Map.of(P0, 40L, P1, 5L));
        assertThat(earliest.moves()).extracting(OffsetPlan.Move::target).containsExactly(10L, 0L);
        assertThat(earliest.replayed()).isEqualTo(30 + 5);
        assertThat(earliest.skipped()).isZero();
        assertThat(plan(new ResetTarget.Latest(), Map.of(P0, 40L, P1, 5L)).skipped()).isEqualTo(10);
    }

    @Test
    void aTimeTakesTheFirstOffsetAtOrAfterIt() {
        OffsetPlan at = plan(new ResetTarget.At(Instant.EPOCH), Map.of(P0, 40L, P1, 5L));
        assertThat(at.moves()).extracting(OffsetPlan.Move::target).containsExactly(20L, 5L);
        assertThat(at.changing()).isEqualTo(1);
    }

    @Test
    void aShiftStaysWithinThePartitionAndStartsFromEarliestWhereNothingWasCommitted() {
        Map<TopicPartition, Long> committed = new HashMap<>(Map.of(P0, 45L));
        OffsetPlan forward = plan(new ResetTarget.Shift(10), committed);
        assertThat(forward.moves()).extracting(OffsetPlan.Move::target).containsExactly(50L, 5L);
        OffsetPlan back = plan(new ResetTarget.Shift(-100), committed);
        assertThat(back.moves()).extracting(OffsetPlan.Move::target).containsExactly(10L, 0L);
        assertThat(back.moves().get(1).committed()).isNull();
        assertThat(back.moves().get(1).changes()).as("a first commit is a change").isTrue();
    }
}
