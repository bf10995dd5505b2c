package dev.mtp.ingest.usage;

import dev.mtp.common.usage.Histogram;

import java.util.Map;

/**
 * The cache's keys per {@code entity/strategy} from a bounded SCAN: how many were seen, the estimate for the whole
 * key space (scaled when the scan stopped early), bytes per key ({@code MEMORY USAGE} of a sample) and the remaining
 * TTLs.
 *
 * @param complete whether the scan saw every key of the prefix
 */
public record KeySpace(Map<String, Keys> byStrategy, long scanned, boolean complete, String note) {

    public record Keys(long seen, double estimated, int memorySamples, double meanBytes, Histogram ttlRemainingSeconds) {}

    public static KeySpace unavailable(String why) {
        return new KeySpace(Map.of(), 0, false, why);
    }
}
