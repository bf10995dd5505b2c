package dev.mtp.reconciler.it;

import dev.mtp.reconciler.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Waits until Redis equals the oracle, and says how long that took. */
final class Convergence {

    private static final Logger log = LoggerFactory.getLogger(Convergence.class);

    private Convergence() {}

    /** Scale factor of the tests' data sizes: {@code -Dmtp.it.scale=N}. */
    static int scale() {
        return Integer.getInteger("mtp.it.scale", 1);
    }

    /**
     * Polls until Redis holds exactly what the oracle says; fails after {@code limit} with the first differences.
     *
     * @param sinceNanos when the clock started (e.g. the last event's acknowledgement)
     * @return how long convergence took since then
     */
    static Duration await(Pipeline pipeline, long sinceNanos, Duration limit, String what) throws Exception {
        return awaitTimed(pipeline, sinceNanos, limit, what).took();
    }

    /**
     * How long convergence took, as the poll saw it: {@code took} is when the first clean pass over every key ended
     * (Redis converged at or before it); {@code resolution} is the time since the last pass that still found a
     * difference began (Redis converged after that), i.e. how much {@code took} may overstate the convergence time.
     */
    record Measured(Duration took, Duration resolution) {}

    /** {@link #await}, also saying how precise the measurement is. */
    static Measured awaitTimed(Pipeline pipeline, long sinceNanos, Duration limit, String what) throws Exception {
        List<Pipeline.Expected> expected = pipeline.expected(System.currentTimeMillis());
        long deadline = sinceNanos + limit.toNanos();
        List<String> diffs;
        long previousPassStart = System.nanoTime();
        while (true) {
            long passStart = System.nanoTime();
            try {
                diffs = pipeline.differences(expected, 5);
            } catch (java.util.concurrent.ExecutionException e) {
                // Redis restarting: the test's own client is refused until it reconnects.
                diffs = List.of("redis unavailable: " + e.getCause());
            }
            if (diffs.isEmpty()) {
                long end = System.nanoTime();
                Duration took = Duration.ofNanos(end - sinceNanos);
                Duration resolution = Duration.ofNanos(end - Math.max(sinceNanos, previousPassStart));
                long live = expected.stream().filter(Pipeline.Expected::present).count();
                log.info("MEASURED {}: {} keys ({} live) converged in {} ms (poll resolution {} ms, clean pass {} ms)",
                        what, expected.size(), live, took.toMillis(), resolution.toMillis(),
                        (end - passStart) / 1_000_000);
                System.out.printf("MEASURED %s: %d keys (%d live) converged in %d ms (poll resolution %d ms, clean "
                        + "pass %d ms)%n", what, expected.size(), live, took.toMillis(), resolution.toMillis(),
                        (end - passStart) / 1_000_000);
                return new Measured(took, resolution);
            }
            previousPassStart = passStart;
            if (System.nanoTime() > deadline) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(diffs).as(what + ": not converged within " + limit).isEmpty();
        return null;
    }
}
