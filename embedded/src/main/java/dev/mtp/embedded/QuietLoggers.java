package dev.mtp.embedded;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

/**
 * Keeps the servers' own loggers at WARN. Kafka logs every config value, partition and raft step at INFO, the
 * MongoDB stand-in every connection and collection: that buries a test's or a launcher's own lines. A level set in
 * the logging configuration wins.
 */
final class QuietLoggers {

    static final List<String> KAFKA = List.of("kafka", "org.apache.kafka", "state.change.logger");
    static final List<String> MONGO_STAND_IN = List.of("de.bwaldvogel.mongo");

    private QuietLoggers() {
    }

    static void warnUnlessConfigured(List<String> names) {
        // Only logback can be adjusted at run time; with another slf4j binding its own configuration decides.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : names) {
                Logger logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARN);
                }
            }
        }
    }
}
