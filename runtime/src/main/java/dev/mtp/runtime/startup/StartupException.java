package dev.mtp.runtime.startup;

import java.time.Duration;

/**
 * A known reason why an app cannot start: port in use, server unreachable after a bounded wait, topic with the
 * wrong partition count. The launcher prints its message as the one-line reason, without a stack trace, and exits
 * with code 1. The message must say what to fix, and must not contain secrets.
 */
public class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String reason) {
        super(reason);
    }

    public StartupException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** "{@code what} did not answer within {@code waited} ms: {@code detail}" (e.g. "redis at redis://h:6379"). */
    public static StartupException unreachable(String what, Duration waited, String detail) {
        return new StartupException(what + " did not answer within " + waited.toMillis() + " ms: " + detail);
    }
}
