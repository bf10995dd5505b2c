package dev.mtp.ops.replay;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetRangesTest {

    @Test
    void readsRangesPerPartitionWithAnOpenEnd() {
        assertThat(OffsetRanges.parse("0:120-480, 1:95-")).isEqualTo(Map.of(
                0, new OffsetRanges.Range(120, 480), 1, new OffsetRanges.Range(95, OffsetRanges.TO_END)));
    }

    @Test
    void refusesWhatIsNotARangeAnEmptyOneAndAPartitionTwice() {
        assertThatThrownBy(() -> OffsetRanges.parse("0:120")).hasMessageStartingWith("'0:120' is not PARTITION:FROM-TO");
        assertThatThrownBy(() -> OffsetRanges.parse("0:5-5")).hasMessageContaining("the range 5-5 is empty");
        assertThatThrownBy(() -> OffsetRanges.parse("0:1-2,0:3-4")).hasMessage("partition 0 is given twice");
    }
}
