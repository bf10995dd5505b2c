package dev.mtp.ops.run;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a long command stop cleanly. Ctrl-C (SIGINT) or SIGTERM runs the shutdown hook, which asks the command to
 * stop and then waits, up to {@link #GRACE}, until the command has finished its current step, written its checkpoint
 * and {@linkplain #close() closed} this signal; only then does the JVM exit. A command can also stop itself (a
 * {@code --limit} reached) through {@link #stop(String)}. Check {@link #stopRequested()} between steps.
 */
public final class StopSignal implements AutoCloseable {

    static final Duration GRACE = Duration.ofSeconds(30);
    /** The reason given when the shutdown hook ran. */
    public static final String INTERRUPTED = "interrupted";

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile String reason;

    private StopSignal(boolean installHook) {
        this.hook = installHook ? new Thread(this::stopAndAwaitFinish, "mtp-ops-stop") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** A signal that Ctrl-C and SIGTERM trigger. */
    public static StopSignal onShutdown() {
        return new StopSignal(true);
    }

    /** A signal only {@link #stop(String)} triggers. */
    public static StopSignal manual() {
        return new StopSignal(false);
    }

    public boolean stopRequested() {
        return reason != null;
    }

    /** Why the command was asked to stop, when it was. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    public boolean interrupted() {
        return INTERRUPTED.equals(reason);
    }

    public void stop(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    private void stopAndAwaitFinish() {
        stop(INTERRUPTED);
        try {
            finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done (its checkpoint written): a shutdown in progress may go on. */
    @Override
    public void close() {
        finished.countDown();
        if (hook != null && !interrupted()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running or about to, and returns at once
            }
        }
    }
}
