package dev.mtp.ops.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SummaryTableTest {

    @Test
    void columnsArePaddedAndNumbersRightAlignedWithSeparators() {
        SummaryTable table = new SummaryTable("what", "count", "rate")
                .row("records written", 1_234_567L, 81_234.56)
                .row("skipped", 0, null);
        assertThat(table.lines()).containsExactly(
                "what             count      rate",
                "records written  1,234,567  81,234.6",
                "skipped                  0  -");
    }

    @Test
    void aRowMustFillTheHeader() {
        assertThatThrownBy(() -> new SummaryTable("a", "b").row("x")).hasMessageContaining("a row of 2 cells");
    }
}
