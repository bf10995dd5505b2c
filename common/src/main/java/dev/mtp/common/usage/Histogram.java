package dev.mtp.common.usage;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed-bucket histogram of weighted values, small and mergeable (what each ingest instance flushes and the
 * analysis adds up). Each bucket keeps its weight and the weighted sum of its values, so a sum of
 * {@code min(value, t)} is exact when {@code t} is a bucket bound. A weight is 1 for a counted event and 1/rate for
 * an event of a sampled key (SHARDS scaling). Not thread-safe: its owner synchronizes.
 */
public final class Histogram {

    /** The bucket bounds of a kind of value; every TTL of the seed is a bound of {@link #REUSE_SECONDS}. */
    public enum Scale {
        /** Time from a key's write to a read of it, or between two writes, in seconds. */
        REUSE_SECONDS(1, 2, 5, 10, 20, 30, 60, 120, 180, 300, 450, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200,
                10_800, 21_600, 43_200, 86_400, 172_800, 604_800),
        /** Read latency in milliseconds. */
        LATENCY_MS(0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500, 1000, 2500);

        private final double[] bounds;

        Scale(double... bounds) { this.bounds = bounds; }

        /** Upper bounds of the finite buckets, ascending; one more bucket takes what is above the last. */
        public double[] bounds() { return bounds.clone(); }

        int bucketOf(double value) {
            int at = Arrays.binarySearch(bounds, value);
            return at >= 0 ? at : -at - 1;
        }
    }

    private final Scale scale;
    private final double[] weights;
    private final double[] sums;

    public Histogram(Scale scale) {
        this.scale = scale;
        this.weights = new double[scale.bounds.length + 1];
        this.sums = new double[scale.bounds.length + 1];
    }

    public Scale scale() { return scale; }

    public void add(double value, double weight) {
        int bucket = scale.bucketOf(value);
        weights[bucket] += weight;
        sums[bucket] += value * weight;
    }

    public void addAll(Histogram other) {
        if (other.scale != scale) {
            throw new IllegalArgumentException("cannot add a " + other.scale + " histogram to a " + scale + " one");
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] += other.weights[i];
            sums[i] += other.sums[i];
        }
    }

    public double total() {
        return Arrays.stream(weights).sum();
    }

    /** The weighted mean of the values, NaN when empty. */
    public double mean() {
        double total = total();
        return total <= 0 ? Double.NaN : Arrays.stream(sums).sum() / total;
    }

    /** Weight of the values at most {@code bound}; exact when it is a bound of the scale, else the buckets wholly below. */
    public double weightAtMost(double bound) {
        double total = 0;
        for (int i = 0; i < scale.bounds.length && scale.bounds[i] <= bound; i++) {
            total += weights[i];
        }
        return total;
    }

    /** Weighted sum of {@code min(value, cap)}; exact when {@code cap} is a bound of the scale. */
    public double sumOfMin(double cap) {
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            boolean below = i < scale.bounds.length && scale.bounds[i] <= cap;
            total += below ? sums[i] : weights[i] * cap;
        }
        return total;
    }

    /**
     * The upper bound of the bucket holding quantile {@code q} (0..1), or infinity when it lies above the last bound,
     * or NaN when empty: a value at most that, and more than the bound below it.
     */
    public double quantileBound(double q) {
        double total = total();
        if (total <= 0) {
            return Double.NaN;
        }
        double running = 0;
        for (int i = 0; i < weights.length; i++) {
            running += weights[i];
            if (running >= q * total - 1e-9) {
                return i < scale.bounds.length ? scale.bounds[i] : Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** How it is stored: the buckets that hold anything, by index, each as [weight, sum]. */
    public Map<String, List<Double>> toStored() {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0) {
                out.put(Integer.toString(i), List.of(weights[i], sums[i]));
            }
        }
        return out;
    }

    public static Histogram fromStored(Scale scale, Map<String, ? extends List<? extends Number>> stored) {
        Histogram histogram = new Histogram(scale);
        stored.forEach((index, pair) -> {
            int i = Integer.parseInt(index);
            if (i < 0 || i >= histogram.weights.length || pair.size() != 2) {
                throw new IllegalArgumentException("not a bucket of a " + scale + " histogram: " + index + "=" + pair);
            }
            histogram.weights[i] = pair.get(0).doubleValue();
            histogram.sums[i] = pair.get(1).doubleValue();
        });
        return histogram;
    }
}
