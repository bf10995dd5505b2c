package dev.mtp.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What every logger writes while one test runs, as text to search, for a test that a secret shows nowhere or that a
 * line was logged.
 * <pre>
 * &#64;RegisterExtension
 * final CapturedLogs logs = new CapturedLogs();
 * </pre>
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        appender.list.clear();
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().detachAppender(appender);
    }

    /** A line an event: its message, its key-value pairs, and each exception of its cause chain with its message. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent e : List.copyOf(appender.list)) {
            text.append(e.getFormattedMessage()).append(' ').append(e.getKeyValuePairs()).append(' ');
            for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName()).append(": ").append(t.getMessage()).append(' ');
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
