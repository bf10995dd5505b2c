package dev.mtp.runtime;

import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.Masking;

import dev.mtp.runtime.startup.ServerRefusal;
import dev.mtp.runtime.startup.StartupException;
import java.net.BindException;
import java.util.Optional;

/**
 * Why an app did not start, as the launcher reports it: one line, {@code <app>: cannot start: <reason>}, and an
 * exit code: 2 for configuration problems, 1 for anything else. Decided in one place by walking the cause chain.
 */
public final class StartFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of a configuration problem. */
    public static final int EXIT_CONFIG = 2;
    /** Exit code of any other start failure, and of a fatal error after start. */
    public static final int EXIT_FAILURE = 1;

    private final String appName;
    private final String reason;
    private final int exitCode;
    private final boolean expected;

    private StartFailure(String appName, String reason, int exitCode, boolean expected, Throwable cause) {
        super(appName + ": cannot start: " + reason, cause, false, false);
        this.appName = appName;
        this.reason = reason;
        this.exitCode = exitCode;
        this.expected = expected;
    }

    /**
     * Classifies a start failure: a {@link ConfigException} anywhere in the chain wins, then a server that refused
     * the app ({@link ServerRefusal}), then a {@link StartupException}.
     */
    public static StartFailure of(String appName, Throwable failure) {
        if (failure instanceof StartFailure f) {
            return f;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigException e) {
                return new StartFailure(appName, e.getMessage(), EXIT_CONFIG, true, failure);
            }
        }
        Optional<String> refusal = ServerRefusal.describe(failure);
        if (refusal.isPresent()) {
            return new StartFailure(appName, refusal.get(), EXIT_FAILURE, true, failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartupException e) {
                return new StartFailure(appName, Masking.maskUris(e.getMessage()), EXIT_FAILURE, true, failure);
            }
            if (t instanceof BindException e) {
                return new StartFailure(appName, "address already in use (" + e.getMessage() + ")", EXIT_FAILURE,
                        true, failure);
            }
            if (t instanceof InterruptedException) {
                return new StartFailure(appName, "interrupted while starting", EXIT_FAILURE, true, failure);
            }
        }
        return new StartFailure(appName, unexpected(failure), EXIT_FAILURE, false, failure);
    }

    private static String unexpected(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (root != failure && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
        }
        return Masking.maskUris(text).replace('\n', ' ').replace('\r', ' ');
    }

    public String appName() {
        return appName;
    }

    /** The reason alone, one line, secrets masked. */
    public String reason() {
        return reason;
    }

    /** The line printed to stderr: {@code <app>: cannot start: <reason>}. */
    public String line() {
        return getMessage();
    }

    public int exitCode() {
        return exitCode;
    }

    /** False for failures nobody anticipated (a bug, most likely): their stack trace goes to the log. */
    public boolean isExpected() {
        return expected;
    }
}
