package dev.mtp.ops.offsets;

import org.apache.kafka.common.TopicPartition;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The offset each partition of a group moves to, from what the group committed and what the partition holds. Pure:
 * the offsets come in, the plan goes out. A partition the group never committed counts as at its earliest offset,
 * where the apps start ({@code auto.offset.reset=earliest}).
 */
public record OffsetPlan(List<Move> moves) {

    /** One partition's move; {@code committed} is null when the group has no offset there. */
    public record Move(TopicPartition partition, Long committed, long earliest, long latest, long target) {

        /** Records the group will read again (positive) or skip (negative). */
        public long replayed() {
            return (committed == null ? earliest : committed) - target;
        }

        public boolean changes() {
            return committed == null || committed != target;
        }
    }

    /**
     * @param at per partition, the offset of the target time (only for {@link ResetTarget.At}; the end offset where no
     *           record is that late)
     */
    public static OffsetPlan of(List<TopicPartition> partitions, ResetTarget target, Map<TopicPartition, Long> committed,
                                Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest,
                                Map<TopicPartition, Long> at) {
        List<Move> moves = partitions.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .map(tp -> {
                    long first = earliest.get(tp);
                    long end = latest.get(tp);
                    Long current = committed.get(tp);
                    long to = switch (target) {
                        case ResetTarget.Earliest e -> first;
                        case ResetTarget.Latest l -> end;
                        case ResetTarget.At a -> at.get(tp);
                        case ResetTarget.Shift s -> (current == null ? first : current) + s.by();
                    };
                    return new Move(tp, current, first, end, Math.max(first, Math.min(end, to)));
                }).toList();
        return new OffsetPlan(moves);
    }

    public long replayed() {
        return moves.stream().mapToLong(m -> Math.max(0, m.replayed())).sum();
    }

    public long skipped() {
        return moves.stream().mapToLong(m -> Math.max(0, -m.replayed())).sum();
    }

    public long changing() {
        return moves.stream().filter(Move::changes).count();
    }
}
