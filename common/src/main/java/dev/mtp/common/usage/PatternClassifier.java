package dev.mtp.common.usage;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's pattern type of measured traffic, with the evidence. The seed names the types and the strategies they
 * call for, not how to tell them apart; the rules below read them off the same TTLs the strategies use:
 * <ol>
 *   <li><b>Archival</b>: written and hardly read back, fewer than {@value #ARCHIVAL_READS_PER_WRITE} reads per write;</li>
 *   <li><b>Analytical</b>: read back, but most reads (median reuse time) come after 30 minutes, when a
 *   WITH_CONTEXT session or a RESPONSE_ONLY interaction has expired: MongoDB answers them anyway;</li>
 *   <li><b>Real Time</b>: most reads within 5 minutes of the write (FULL_INTERACTION's TTL), and at least half of
 *   them need the whole entity;</li>
 *   <li><b>High Frequency</b>: the rest: read back often within the cache's lifetime, without needing everything.</li>
 * </ol>
 * At least {@value #MIN_SAMPLED_READS} sampled reads are needed to judge reuse times.
 */
public final class PatternClassifier {
    public static final double ARCHIVAL_READS_PER_WRITE = 0.1;
    public static final double ANALYTICAL_MEDIAN_REUSE_SECONDS = 1_800;
    public static final double REAL_TIME_MEDIAN_REUSE_SECONDS = 300;
    public static final double REAL_TIME_FULL_READ_SHARE = 0.5;
    public static final long MIN_SAMPLED_READS = 20;

    private PatternClassifier() {}

    /**
     * The measured traffic: rates and sizes (evidence), reads per write, the reuse times of sampled reads and the
     * share of reads that needed the whole entity or its context.
     */
    public record Features(double writesPerSecond, double readsPerSecond, double meanWriteBytes, double readsPerWrite,
                           long sampledReads, double medianReuseSeconds, double fullReadShare, double contextReadShare) {

        public static Features of(UsageTally tally, double windowSeconds) {
            long needing = 0;
            for (CachingLevel level : CachingLevel.values()) {
                needing += tally.readsNeeding(level);
            }
            double full = needing == 0 ? 0 : (double) tally.readsNeeding(CachingLevel.FULL) / needing;
            double context = needing == 0 ? 0
                    : (double) (tally.readsNeeding(CachingLevel.FULL) + tally.readsNeeding(CachingLevel.WITH_CONTEXT)) / needing;
            return new Features(tally.writes() / windowSeconds, tally.reads() / windowSeconds,
                    tally.writes() == 0 ? 0 : (double) tally.writeBytes() / tally.writes(),
                    tally.writes() == 0 ? Double.POSITIVE_INFINITY : (double) tally.reads() / tally.writes(),
                    tally.sampledReads(), tally.reuseAll().quantileBound(0.5), full, context);
        }
    }

    /** The type, or null when the traffic cannot be judged yet; the evidence either way. */
    public record Classification(PatternType type, List<String> evidence) {}

    public static Classification classify(Features f) {
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format("%.2f writes/s, %.2f reads/s, %.0f bytes per write", f.writesPerSecond(),
                f.readsPerSecond(), f.meanWriteBytes()));
        evidence.add(String.format("%.2f reads per write (archival below %.1f)", f.readsPerWrite(), ARCHIVAL_READS_PER_WRITE));
        if (f.readsPerWrite() < ARCHIVAL_READS_PER_WRITE) {
            return new Classification(PatternType.ARCHIVAL, evidence);
        }
        if (f.sampledReads() < MIN_SAMPLED_READS || Double.isNaN(f.medianReuseSeconds())) {
            evidence.add(f.sampledReads() + " sampled reads with a known reuse time: at least " + MIN_SAMPLED_READS
                    + " are needed to judge when reads come");
            return new Classification(null, evidence);
        }
        evidence.add(String.format("median reuse time at most %s over %d sampled reads (analytical above %.0f s, "
                        + "real time at most %.0f s)", seconds(f.medianReuseSeconds()), f.sampledReads(),
                ANALYTICAL_MEDIAN_REUSE_SECONDS, REAL_TIME_MEDIAN_REUSE_SECONDS));
        if (f.medianReuseSeconds() > ANALYTICAL_MEDIAN_REUSE_SECONDS) {
            return new Classification(PatternType.ANALYTICAL, evidence);
        }
        evidence.add(String.format("%.0f%% of reads need the whole entity, %.0f%% its context or more (real time from "
                + "%.0f%% whole)", 100 * f.fullReadShare(), 100 * f.contextReadShare(), 100 * REAL_TIME_FULL_READ_SHARE));
        if (f.medianReuseSeconds() <= REAL_TIME_MEDIAN_REUSE_SECONDS && f.fullReadShare() >= REAL_TIME_FULL_READ_SHARE) {
            return new Classification(PatternType.REAL_TIME, evidence);
        }
        return new Classification(PatternType.HIGH_FREQUENCY, evidence);
    }

    private static String seconds(double s) {
        return Double.isInfinite(s) ? "beyond 7 days" : String.format("%.0f s", s);
    }
}
