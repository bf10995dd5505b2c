package dev.mtp.runtime;

import dev.mtp.common.config.Config;
import dev.mtp.runtime.ops.Health;
import dev.mtp.runtime.ops.HealthCheck;
import dev.mtp.runtime.ops.HealthChecks;
import dev.mtp.runtime.ops.HealthReport;
import dev.mtp.runtime.ops.Metrics;
import dev.mtp.runtime.ops.OpsServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started app. {@link #stop} is the graceful shutdown: readiness goes down (no new work is routed here), the
 * app's components close in reverse order of opening within {@code app.lifecycle.shutdown-timeout-ms}, then the
 * ops server stops. Idempotent and safe to call from a shutdown hook and any thread at once.
 */
public final class RunningApp implements AutoCloseable {

    enum State { STARTING, STARTED, STOPPING, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(RunningApp.class);

    private final String appName;
    private final Config config;
    private final Metrics metrics;
    private final HealthChecks readiness;
    private final Components components;
    private final Duration shutdownTimeout;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile OpsServer ops;
    private volatile State state = State.STARTING;
    private volatile int exitCode;
    private volatile String stopReason;

    RunningApp(String appName, Config config, Metrics metrics, HealthChecks readiness, Components components,
               Duration shutdownTimeout) {
        this.appName = appName;
        this.config = config;
        this.metrics = metrics;
        this.readiness = readiness;
        this.components = components;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The readiness check that is up only between a completed start and the beginning of shutdown. */
    HealthCheck lifecycleCheck() {
        return new HealthCheck() {
            @Override
            public String name() {
                return "lifecycle";
            }

            @Override
            public Health check() {
                State s = state;
                return s == State.STARTED ? Health.up("started") : Health.down(s.name().toLowerCase());
            }
        };
    }

    void opsServer(OpsServer server) {
        this.ops = server;
    }

    /** Marks the start complete, unless a fatal error already began the shutdown. */
    synchronized void started() {
        if (state == State.STARTING) {
            state = State.STARTED;
        }
    }

    public String appName() {
        return appName;
    }

    public Config config() {
        return config;
    }

    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** The bound ops port (the actual one when {@code ops.port=0}). */
    public int opsPort() {
        return ops.port();
    }

    /** Runs the readiness checks once, as {@code GET /health/ready} does. */
    public HealthReport readiness() {
        return readiness.run();
    }

    /** Graceful shutdown; returns when it is complete. */
    public void stop(String reason) {
        stop(reason, 0);
    }

    @Override
    public void close() {
        stop("closed");
    }

    void stop(String reason, int code) {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        exitCode = code;
        stopReason = reason;
        long start = System.nanoTime();
        synchronized (this) {
            state = State.STOPPING;
        }
        log.atInfo().setMessage("shutdown started: {}").addArgument(reason)
                .addKeyValue("reason", reason).addKeyValue("timeoutMs", shutdownTimeout.toMillis()).log();
        try {
            components.closeAll(shutdownTimeout);
        } finally {
            OpsServer server = ops;
            if (server != null) {
                server.close();
            }
            metrics.close();
            state = State.STOPPED;
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log.atInfo().setMessage("shutdown complete in {} ms").addArgument(took)
                    .addKeyValue("durationMs", took).addKeyValue("exitCode", code).log();
            stopped.countDown();
        }
    }

    /** Called by {@link AppContext#fail}: shut down on another thread (the caller may be a component being closed). */
    void fatal(String reason, Throwable cause) {
        log.atError().setMessage("fatal: {}").addArgument(reason).setCause(cause).addKeyValue("reason", reason).log();
        Thread.ofPlatform().name(appName + "-fatal-shutdown").start(() -> stop("fatal: " + reason, StartFailure.EXIT_FAILURE));
    }

    /** Blocks until shutdown is complete; returns the exit code (0 after a requested stop, 1 after a fatal error). */
    public int awaitExit() {
        awaitStopped();
        return exitCode;
    }

    /** Waits up to {@code timeout} for shutdown to complete. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why the app stopped, once it has. */
    public String stopReason() {
        return stopReason;
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
