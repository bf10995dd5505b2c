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
        List<Pipeline.Expected> expected = pipeline.expected(System.currentTimeMillis());
        long deadline = sinceNanos + limit.toNanos();
        List<String> diffs;
        while (true) {
            try {
                diffs = pipeline.differences(expected, 5);
            } catch (java.util.concurrent.ExecutionException e) {
                // Redis restarting: the test's own client is refused until it reconnects.
                diffs = List.of("redis unavailable: " + e.getCause());
            }
            if (diffs.isEmpty()) {
                Duration took = Duration.ofNanos(System.nanoTime() - sinceNanos);
                long live = expected.stream().filter(Pipeline.Expected::present).count();
                log.info("MEASURED {}: {} keys ({} live) converged in {} ms", what, expected.size(), live,
                        took.toMillis());
                System.out.printf("MEASURED %s: %d keys (%d live) converged in %d ms%n", what, expected.size(), live,
                        took.toMillis());
                return took;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(diffs).as(what + ": not converged within " + limit).isEmpty();
        return null;
    }
}
