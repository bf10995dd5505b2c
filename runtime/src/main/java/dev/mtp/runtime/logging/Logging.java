package dev.mtp.runtime.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Process-wide logging settings. */
public final class Logging {

    /** Logger-context property the JSON encoder writes as {@code "app"}. */
    public static final String APP_PROPERTY = "app";

    private Logging() {}

    /** Tags every following log event with the app's name. */
    public static void setAppName(String appName) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.putProperty(APP_PROPERTY, appName);
        }
    }

    /** A warning when {@code LOG_FORMAT} names an unknown format. */
    public static Optional<String> formatProblem() {
        return LogFormat.problem();
    }
}
