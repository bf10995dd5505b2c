package dev.mtp.common.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was measured for one entity type and strategy over some time: exact counts of writes and reads by outcome,
 * read latency by tier, and, from the sampled keys (weighted 1/rate), reuse times by the rung a read needed, gaps
 * between writes of a key and keys that expired unread. Fixed size whatever the traffic; mergeable, so instances and
 * time buckets add up. Not thread-safe: its owner synchronizes.
 */
public final class UsageTally {
    private long writes;
    private long writeBytes;
    private final long[] outcomes = new long[ReadOutcome.values().length];
    private final long[] readsByNeed = new long[CachingLevel.values().length];
    private final Histogram redisLatencyMs = new Histogram(Histogram.Scale.LATENCY_MS);
    private final Histogram mongoLatencyMs = new Histogram(Histogram.Scale.LATENCY_MS);
    private final Histogram[] reuseByNeed = new Histogram[CachingLevel.values().length];
    private double unknownReuseReads;
    private long sampledReads;
    private final Histogram writeGaps = new Histogram(Histogram.Scale.REUSE_SECONDS);
    private double sampledWrites;
    private double expiredUnread;

    public UsageTally() {
        for (int i = 0; i < reuseByNeed.length; i++) {
            reuseByNeed[i] = new Histogram(Histogram.Scale.REUSE_SECONDS);
        }
    }

    // ---------------------------------------------------------------- recording

    public void write(long bytes) {
        writes++;
        writeBytes += bytes;
    }

    /** A read: its outcome, the rung it needed (when it found something) and its latency by the tier that answered. */
    public void read(ReadOutcome outcome, CachingLevel needed, double latencyMs) {
        outcomes[outcome.ordinal()]++;
        if (needed != null) {
            readsByNeed[needed.ordinal()]++;
        }
        if (outcome == ReadOutcome.REDIS_HIT) {
            redisLatencyMs.add(latencyMs, 1);
        } else if (outcome.fromMongo()) {
            mongoLatencyMs.add(latencyMs, 1);
        }
    }

    /** A read of a sampled key whose last write was seen {@code reuseSeconds} before. */
    public void sampledReuse(CachingLevel needed, double reuseSeconds, double weight) {
        reuseByNeed[needed.ordinal()].add(reuseSeconds, weight);
        sampledReads++;
    }

    /** A read of a sampled key whose last write was not seen (before sampling began, or another instance wrote it). */
    public void sampledUnknownReuse(double weight) {
        unknownReuseReads += weight;
    }

    /** A write of a sampled key, with the gap since its previous write when one was seen (else negative). */
    public void sampledWrite(double gapSeconds, double weight) {
        sampledWrites += weight;
        if (gapSeconds >= 0) {
            writeGaps.add(gapSeconds, weight);
        }
    }

    public void expiredUnread(double weight) {
        expiredUnread += weight;
    }

    public void addAll(UsageTally other) {
        writes += other.writes;
        writeBytes += other.writeBytes;
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] += other.outcomes[i];
        }
        for (int i = 0; i < readsByNeed.length; i++) {
            readsByNeed[i] += other.readsByNeed[i];
            reuseByNeed[i].addAll(other.reuseByNeed[i]);
        }
        redisLatencyMs.addAll(other.redisLatencyMs);
        mongoLatencyMs.addAll(other.mongoLatencyMs);
        unknownReuseReads += other.unknownReuseReads;
        sampledReads += other.sampledReads;
        writeGaps.addAll(other.writeGaps);
        sampledWrites += other.sampledWrites;
        expiredUnread += other.expiredUnread;
    }

    // ---------------------------------------------------------------- reading

    public long writes() { return writes; }
    public long writeBytes() { return writeBytes; }
    public long outcome(ReadOutcome outcome) { return outcomes[outcome.ordinal()]; }

    public long reads() {
        long total = 0;
        for (long count : outcomes) {
            total += count;
        }
        return total;
    }

    public long readsNeeding(CachingLevel level) { return readsByNeed[level.ordinal()]; }
    public Histogram redisLatencyMs() { return redisLatencyMs; }
    public Histogram mongoLatencyMs() { return mongoLatencyMs; }
    public Histogram reuse(CachingLevel needed) { return reuseByNeed[needed.ordinal()]; }
    public double unknownReuseReads() { return unknownReuseReads; }
    public long sampledReads() { return sampledReads; }
    public Histogram writeGaps() { return writeGaps; }
    public double sampledWrites() { return sampledWrites; }
    public double expiredUnread() { return expiredUnread; }

    /** All reuse times, whatever rung the reads needed. */
    public Histogram reuseAll() {
        Histogram all = new Histogram(Histogram.Scale.REUSE_SECONDS);
        for (Histogram histogram : reuseByNeed) {
            all.addAll(histogram);
        }
        return all;
    }

    public boolean isEmpty() {
        return writes == 0 && reads() == 0 && sampledWrites == 0 && unknownReuseReads == 0;
    }

    // ---------------------------------------------------------------- stored form

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("writes", writes);
        out.put("writeBytes", writeBytes);
        Map<String, Object> byOutcome = new LinkedHashMap<>();
        for (ReadOutcome outcome : ReadOutcome.values()) {
            byOutcome.put(outcome.name(), outcomes[outcome.ordinal()]);
        }
        out.put("reads", byOutcome);
        Map<String, Object> needs = new LinkedHashMap<>();
        Map<String, Object> reuse = new LinkedHashMap<>();
        for (CachingLevel level : CachingLevel.values()) {
            needs.put(level.name(), readsByNeed[level.ordinal()]);
            reuse.put(level.name(), reuseByNeed[level.ordinal()].toStored());
        }
        out.put("readsByNeed", needs);
        out.put("reuseSeconds", reuse);
        out.put("redisLatencyMs", redisLatencyMs.toStored());
        out.put("mongoLatencyMs", mongoLatencyMs.toStored());
        out.put("unknownReuseReads", unknownReuseReads);
        out.put("sampledReads", sampledReads);
        out.put("writeGapSeconds", writeGaps.toStored());
        out.put("sampledWrites", sampledWrites);
        out.put("expiredUnread", expiredUnread);
        return out;
    }

    @SuppressWarnings("unchecked")
    public static UsageTally fromMap(Map<String, ?> stored) {
        UsageTally tally = new UsageTally();
        tally.writes = number(stored, "writes").longValue();
        tally.writeBytes = number(stored, "writeBytes").longValue();
        Map<String, ?> byOutcome = (Map<String, ?>) stored.get("reads");
        for (ReadOutcome outcome : ReadOutcome.values()) {
            tally.outcomes[outcome.ordinal()] = number(byOutcome, outcome.name()).longValue();
        }
        Map<String, ?> needs = (Map<String, ?>) stored.get("readsByNeed");
        Map<String, ?> reuse = (Map<String, ?>) stored.get("reuseSeconds");
        for (CachingLevel level : CachingLevel.values()) {
            tally.readsByNeed[level.ordinal()] = number(needs, level.name()).longValue();
            tally.reuseByNeed[level.ordinal()].addAll(histogram(Histogram.Scale.REUSE_SECONDS, reuse.get(level.name())));
        }
        tally.redisLatencyMs.addAll(histogram(Histogram.Scale.LATENCY_MS, stored.get("redisLatencyMs")));
        tally.mongoLatencyMs.addAll(histogram(Histogram.Scale.LATENCY_MS, stored.get("mongoLatencyMs")));
        tally.unknownReuseReads = number(stored, "unknownReuseReads").doubleValue();
        tally.sampledReads = number(stored, "sampledReads").longValue();
        tally.writeGaps.addAll(histogram(Histogram.Scale.REUSE_SECONDS, stored.get("writeGapSeconds")));
        tally.sampledWrites = number(stored, "sampledWrites").doubleValue();
        tally.expiredUnread = number(stored, "expiredUnread").doubleValue();
        return tally;
    }

    private static Number number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        return value instanceof Number n ? n : 0;
    }

    @SuppressWarnings("unchecked")
    private static Histogram histogram(Histogram.Scale scale, Object stored) {
        return stored == null ? new Histogram(scale) : Histogram.fromStored(scale, (Map<String, List<Number>>) stored);
    }
}
