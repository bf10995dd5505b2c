package dev.mtp.chaos.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One process the run started (a server or an app instance), with its output appended to its log. Killing it records
 * the CPU it had used, so the report can charge it after it is gone.
 */
final class ChildProcess {

    final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private long cpuNanosOfEnded;

    ChildProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /** Starts (or starts again after a kill) the same command. */
    ChildProcess start() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
        return this;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no last commit, no flush. */
    void kill9() {
        if (alive()) {
            cpuNanosOfEnded += cpuNanosNow();
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then SIGKILL when it has not exited within the grace period. */
    void stop(Duration grace) {
        if (alive()) {
            long cpu = cpuNanosNow();
            process.destroy();
            if (!waitFor(grace)) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(30));
            }
            cpuNanosOfEnded += cpu;
        }
    }

    /** Waits for the process to exit by itself: its exit code, or empty when it is still running at the timeout. */
    OptionalInt awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(process.exitValue());
    }

    /** CPU used by every run of this process so far (user + system). */
    long cpuNanos() {
        return cpuNanosOfEnded + (alive() ? cpuNanosNow() : 0);
    }

    Path log() {
        return log;
    }

    private long cpuNanosNow() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
