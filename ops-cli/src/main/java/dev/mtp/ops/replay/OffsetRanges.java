package dev.mtp.ops.replay;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offsets per partition on the command line: {@code 0:120-480,1:95-}, each a partition, the first offset replayed and
 * the offset the replay stops before (absent: the partition's end when the replay starts).
 */
public final class OffsetRanges {
    private OffsetRanges() {}

    /** The end of a range given without one. */
    public static final long TO_END = Long.MAX_VALUE;

    private static final Pattern RANGE = Pattern.compile("(\\d{1,9}):(\\d{1,18})-(\\d{1,18})?");

    /** One partition's range. */
    public record Range(long from, long to) {}

    /** @throws IllegalArgumentException naming the part that is not a range */
    public static Map<Integer, Range> parse(String spec) {
        Map<Integer, Range> ranges = new TreeMap<>();
        for (String part : spec.split(",")) {
            Matcher m = RANGE.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not PARTITION:FROM-TO or PARTITION:FROM- "
                        + "(e.g. 0:120-480,1:95-)");
            }
            int partition = Integer.parseInt(m.group(1));
            long from = Long.parseLong(m.group(2));
            long to = m.group(3) == null ? TO_END : Long.parseLong(m.group(3));
            if (to <= from) {
                throw new IllegalArgumentException("partition " + partition + ": the range " + from + "-" + to
                        + " is empty (TO is the offset the replay stops before)");
            }
            if (ranges.put(partition, new Range(from, to)) != null) {
                throw new IllegalArgumentException("partition " + partition + " is given twice");
            }
        }
        return ranges;
    }
}
