package dev.mtp.runtime;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.runtime.config.ConfigLoader;
import dev.mtp.runtime.config.EffectiveConfigLog;
import dev.mtp.runtime.logging.Logging;
import dev.mtp.runtime.ops.HealthChecks;
import dev.mtp.runtime.ops.Metrics;
import dev.mtp.runtime.ops.OpsServer;
import dev.mtp.runtime.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts an app process the same way for every app, in two phases (mongo-kafka style): first resolve and validate
 * the config, then open clients. Only a fully started app does work; a failed start closes what it opened.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     AppLauncher.run(CacheWriterConfig.TABLE, ctx -> { ... ctx.open(...); ctx.addHealthCheck(...); ... });
 * }
 * }</pre>
 *
 * Start sequence: resolve config (system properties > environment > {@code APP_CONFIG_FILE} > defaults) → log it,
 * masked → meter registry with JVM binders → ops server on {@code ops.port} → {@link Application#start} →
 * {@link AppContext#afterStart} actions → ready. {@link #run} adds the process part: one line on stderr and exit
 * code 2 (config) or 1 (anything else) when the start fails, a shutdown hook for SIGTERM, exit code 1 after
 * {@link AppContext#fail}.
 */
public final class AppLauncher {

    private static final Logger log = LoggerFactory.getLogger(AppLauncher.class);

    /** Keys the launcher reads; {@link CommonConfigKeys#runtime(int)} declares them all. */
    static final List<ConfigKey<?>> REQUIRED_KEYS = List.of(CommonConfigKeys.OPS_PORT,
            CommonConfigKeys.OPS_HEALTH_TIMEOUT_MS, CommonConfigKeys.STARTUP_TIMEOUT_MS,
            CommonConfigKeys.SHUTDOWN_TIMEOUT_MS);

    /** How long a SIGTERM that arrives during start waits for the start to finish before the JVM goes down. */
    private static final Duration HOOK_WAIT_FOR_START = Duration.ofSeconds(10);

    private AppLauncher() {}

    /**
     * The body of an app's {@code main}: starts the app, then blocks until it stops. Never returns after a failed
     * start or a fatal error: prints {@code <app>: cannot start: <reason>} (or {@code <app>: stopped: <reason>}) to
     * stderr and exits with the failure's code.
     */
    public static void run(ConfigTable table, Application app) {
        // The hook is in place before start begins, so a SIGTERM at any moment gets a graceful shutdown: during
        // start it waits (bounded) for the start to finish, then stops what was started.
        AtomicReference<RunningApp> running = new AtomicReference<>();
        CountDownLatch startDone = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name(table.appName() + "-shutdown").unstarted(() -> {
            try {
                startDone.await(HOOK_WAIT_FOR_START.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RunningApp r = running.get();
            if (r != null) {
                r.stop("SIGTERM");
            }
        }));
        try {
            running.set(start(table, app));
        } catch (StartFailure f) {
            System.err.println(f.line());
            System.err.flush();
            startDone.countDown();
            System.exit(f.exitCode());
            return;
        }
        startDone.countDown();
        int code = running.get().awaitExit();
        if (code != 0) {
            System.err.println(table.appName() + ": stopped: " + running.get().stopReason());
            System.err.flush();
            System.exit(code);
        }
    }

    /** Starts the app with this process's system properties and environment. */
    public static RunningApp start(ConfigTable table, Application app) {
        return start(table, app, ConfigLoader.systemProperties(), System.getenv());
    }

    /**
     * Starts the app with the given system properties and environment (tests). Registers no shutdown hook.
     *
     * @throws StartFailure when the config is invalid or the app cannot start; whatever was opened is closed
     */
    public static RunningApp start(ConfigTable table, Application app, Map<String, String> systemProperties,
                                   Map<String, String> environment) {
        long t0 = System.nanoTime();
        String name = table.appName();
        Logging.setAppName(name);
        for (ConfigKey<?> key : REQUIRED_KEYS) {
            if (!table.contains(key)) {
                throw StartFailure.of(name, new IllegalStateException("the config table of " + name + " lacks "
                        + key.name() + "; add CommonConfigKeys.runtime(<ops port>) to it"));
            }
        }
        Config config;
        try {
            config = ConfigLoader.load(table, systemProperties, environment);
        } catch (RuntimeException e) {
            StartFailure f = StartFailure.of(name, e);
            log.atError().setMessage(f.line()).addKeyValue("exitCode", f.exitCode()).log();
            throw f;
        }
        log.atInfo().setMessage("starting {}").addArgument(name).addKeyValue("pid", ProcessHandle.current().pid())
                .addKeyValue("java", Runtime.version().toString()).log();
        Logging.formatProblem().ifPresent(log::warn);
        EffectiveConfigLog.log(log, config);

        Duration shutdownTimeout = config.get(CommonConfigKeys.SHUTDOWN_TIMEOUT_MS);
        Metrics metrics = Metrics.create(name);
        HealthChecks readiness = new HealthChecks(config.get(CommonConfigKeys.OPS_HEALTH_TIMEOUT_MS));
        Components components = new Components();
        RunningApp running = new RunningApp(name, config, metrics, readiness, components, shutdownTimeout);
        readiness.add(running.lifecycleCheck());
        AtomicReference<Throwable> earlyFatal = new AtomicReference<>();
        AtomicBoolean started = new AtomicBoolean();
        AppContext ctx = new AppContext(name, config, metrics.registry(), readiness, components,
                config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS), (reason, cause) -> {
                    if (started.get()) {
                        running.fatal(reason, cause);
                    } else {
                        earlyFatal.compareAndSet(null, new StartupException(reason, cause));
                    }
                });
        try {
            running.opsServer(OpsServer.start(config.get(CommonConfigKeys.OPS_PORT), readiness::run, metrics::scrape));
            app.start(ctx);
            ctx.seal();
            if (earlyFatal.get() != null) {
                throw earlyFatal.get();
            }
            // Everything is open: from here on, AppContext.fail means a graceful shutdown with exit code 1.
            started.set(true);
            for (AppContext.Named action : ctx.afterStartActions()) {
                action.action().run();
            }
            running.started();
        } catch (Throwable e) {
            StartFailure f = StartFailure.of(name, e);
            if (f.isExpected()) {
                log.atError().setMessage(f.line()).addKeyValue("exitCode", f.exitCode()).log();
            } else {
                log.atError().setMessage(f.line()).addKeyValue("exitCode", f.exitCode()).setCause(e).log();
            }
            running.stop("start failed", f.exitCode());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw f;
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        log.atInfo().setMessage("{} started in {} ms; ops on port {}").addArgument(name).addArgument(took)
                .addArgument(running.opsPort()).addKeyValue("durationMs", took)
                .addKeyValue("opsPort", running.opsPort()).log();
        return running;
    }
}
