package dev.mtp.runtime.ops;

import dev.mtp.common.config.Masking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The registered readiness checks of a process. {@link #run} runs them concurrently, each bounded by the timeout,
 * so one hanging server cannot hold the readiness endpoint.
 */
public final class HealthChecks {

    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    private final Duration timeout;

    public HealthChecks(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public void add(HealthCheck check) {
        Objects.requireNonNull(check, "check");
        if (checks.stream().anyMatch(c -> c.name().equals(check.name()))) {
            throw new IllegalArgumentException("a health check named " + check.name() + " is already registered");
        }
        checks.add(check);
    }

    public List<HealthCheck> checks() {
        return List.copyOf(checks);
    }

    public Duration timeout() {
        return timeout;
    }

    /** Runs every check once. */
    public HealthReport run() {
        List<HealthCheck> snapshot = List.copyOf(checks);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HealthReport.Result>> futures = new ArrayList<>();
            for (HealthCheck check : snapshot) {
                futures.add(pool.submit(() -> runOne(check)));
            }
            List<HealthReport.Result> results = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < snapshot.size(); i++) {
                results.add(await(snapshot.get(i), futures.get(i), deadline));
            }
            pool.shutdownNow(); // interrupt checks that timed out instead of waiting for them on close
            return HealthReport.of(results);
        }
    }

    /** Runs one check once, bounded by this registry's timeout. */
    public HealthReport.Result run(HealthCheck check) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            HealthReport.Result r = await(check, pool.submit(() -> runOne(check)), System.nanoTime() + timeout.toNanos());
            pool.shutdownNow();
            return r;
        }
    }

    private HealthReport.Result await(HealthCheck check, Future<HealthReport.Result> f, long deadline) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new HealthReport.Result(check.name(), false,
                    "no answer within " + timeout.toMillis() + " ms", timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthReport.Result(check.name(), false, "interrupted", 0);
        } catch (ExecutionException e) {
            return new HealthReport.Result(check.name(), false, describe(e.getCause()), 0);
        }
    }

    private static HealthReport.Result runOne(HealthCheck check) {
        long start = System.nanoTime();
        Health h;
        try {
            h = Objects.requireNonNull(check.check(), "check returned null");
        } catch (Exception e) {
            h = Health.down(describe(e));
        }
        return new HealthReport.Result(check.name(), h.up(), Masking.maskUris(h.detail()),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** The most useful message of an exception chain, masked: the outer one plus the root cause's. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = message(t);
        String inner = message(root);
        String text = root == t || outer.contains(inner) ? outer : outer + ": " + inner;
        return Masking.maskUris(text);
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
