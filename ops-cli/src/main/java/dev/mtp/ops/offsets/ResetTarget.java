package dev.mtp.ops.offsets;

import java.time.Instant;

/** Where {@code offsets reset} moves a group, as {@code kafka-consumer-groups --reset-offsets} names it. */
public sealed interface ResetTarget {

    record Earliest() implements ResetTarget {
        @Override
        public String toString() {
            return "earliest";
        }
    }

    record Latest() implements ResetTarget {
        @Override
        public String toString() {
            return "latest";
        }
    }

    /** The first offset of each partition whose record is at or after the time. */
    record At(Instant time) implements ResetTarget {
        @Override
        public String toString() {
            return "the first record at or after " + time;
        }
    }

    /** The committed offset moved by {@code by} (negative: back), kept within the partition's records. */
    record Shift(long by) implements ResetTarget {
        @Override
        public String toString() {
            return "shifted by " + by;
        }
    }
}
