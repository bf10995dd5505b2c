package dev.mtp.runtime;

/**
 * What an app does at start, given its resolved config. The launcher has already validated the config, logged it
 * and bound the ops port. {@code start} opens the app's clients and components through
 * {@link AppContext#open}, registers readiness checks with {@link AppContext#addHealthCheck}, and hands any work
 * that must only begin once everything is open to {@link AppContext#afterStart}. If it throws, everything opened so
 * far is closed in reverse order and the process exits with a one-line reason.
 */
@FunctionalInterface
public interface Application {

    void start(AppContext ctx) throws Exception;
}
