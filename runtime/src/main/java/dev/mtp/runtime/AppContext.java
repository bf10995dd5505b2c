package dev.mtp.runtime;

import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.Masking;
import dev.mtp.runtime.ops.Health;
import dev.mtp.runtime.ops.HealthCheck;
import dev.mtp.runtime.ops.HealthChecks;
import dev.mtp.runtime.ops.HealthReport;
import dev.mtp.runtime.startup.ServerRefusal;
import dev.mtp.runtime.startup.StartupException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What {@link Application#start} works with: the resolved config, the meter registry, and the means to open
 * components so that they are closed in reverse order on shutdown or on a failed start.
 */
public final class AppContext {

    /** How to close a resource that is not {@link AutoCloseable}, e.g. {@code RedisClient::shutdown}. */
    @FunctionalInterface
    public interface Closer<T> {
        void close(T resource) throws Exception;
    }

    /** Work that begins once the app is fully started. */
    @FunctionalInterface
    public interface StartAction {
        void run() throws Exception;
    }

    record Named(String name, StartAction action) {}

    private static final Logger log = LoggerFactory.getLogger(AppContext.class);

    private final String appName;
    private final Config config;
    private final MeterRegistry meterRegistry;
    private final HealthChecks readiness;
    private final Components components;
    private final Duration startupTimeout;
    private final BiConsumer<String, Throwable> onFatal;
    private final List<Named> afterStart = new ArrayList<>();
    private volatile boolean sealed;

    AppContext(String appName, Config config, MeterRegistry meterRegistry, HealthChecks readiness,
               Components components, Duration startupTimeout, BiConsumer<String, Throwable> onFatal) {
        this.appName = appName;
        this.config = config;
        this.meterRegistry = meterRegistry;
        this.readiness = readiness;
        this.components = components;
        this.startupTimeout = startupTimeout;
        this.onFatal = onFatal;
    }

    public String appName() {
        return appName;
    }

    public Config config() {
        return config;
    }

    /** Shortcut for {@code config().get(key)}. */
    public <T> T get(ConfigKey<T> key) {
        return config.get(key);
    }

    /** The process's registry; everything registered here appears at {@code /metrics}. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** How long start-up may wait for a server ({@code app.lifecycle.startup-timeout-ms}). */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Registers a resource to be closed (in reverse order of opening) on shutdown or failed start. */
    public <T extends AutoCloseable> T open(String name, T resource) {
        return open(name, resource, AutoCloseable::close);
    }

    /** Registers a resource with its own way of closing, e.g. {@code ctx.open("redis", client, RedisClient::shutdown)}. */
    public <T> T open(String name, T resource, Closer<? super T> closer) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(closer, "closer");
        checkStarting("open " + name);
        components.add(name, () -> closer.close(resource));
        log.atDebug().setMessage("opened {}").addArgument(name).addKeyValue("component", name).log();
        return resource;
    }

    /** Adds a readiness check, run by {@code GET /health/ready}. */
    public void addHealthCheck(HealthCheck check) {
        readiness.add(check);
    }

    /**
     * Waits until {@code check} is up, retrying with backoff up to {@link #startupTimeout()}; lets an app refuse to
     * start when a server it needs does not answer. A server that refuses the app (wrong credentials, untrusted
     * certificate: {@link ServerRefusal}) ends the wait at once.
     *
     * @throws StartupException "{@code <check> did not answer within <timeout> ms: <last detail>}", or the refusal
     */
    public void awaitHealthy(HealthCheck check) throws InterruptedException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        long backoffMs = 100;
        long nextLog = System.nanoTime();
        AtomicReference<Exception> refused = new AtomicReference<>();
        HealthCheck noting = refusalNoting(check, refused);
        while (true) {
            HealthReport.Result r = readiness.run(noting);
            if (refused.get() != null) {
                throw new StartupException(ServerRefusal.describe(refused.get()).orElseThrow(), refused.get());
            }
            if (r.up()) {
                log.atInfo().setMessage("{} is up: {}").addArgument(check.name()).addArgument(r.detail())
                        .addKeyValue("check", check.name()).log();
                return;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw StartupException.unreachable(check.name(), startupTimeout, r.detail());
            }
            if (now - nextLog >= 0) {
                log.atInfo().setMessage("waiting for {}: {}").addArgument(check.name()).addArgument(r.detail())
                        .addKeyValue("check", check.name()).log();
                nextLog = now + TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(Math.min(backoffMs, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now))));
            backoffMs = Math.min(backoffMs * 2, 2_000);
        }
    }

    /** The check, noting an exception that says the server refused the app: waiting would not help. */
    private static HealthCheck refusalNoting(HealthCheck check, AtomicReference<Exception> refused) {
        return new HealthCheck() {
            @Override
            public String name() {
                return check.name();
            }

            @Override
            public Health check() throws Exception {
                try {
                    return check.check();
                } catch (Exception e) {
                    if (ServerRefusal.describe(e).isPresent()) {
                        refused.set(e);
                    }
                    throw e;
                }
            }
        };
    }

    /**
     * Runs {@code action} once every component is open and the app counts as started (readiness check
     * "lifecycle" up); e.g. start the consume loop. An action that throws fails the start like {@code start} would.
     */
    public void afterStart(String name, StartAction action) {
        checkStarting("register start action " + name);
        afterStart.add(new Named(Objects.requireNonNull(name, "name"), Objects.requireNonNull(action, "action")));
    }

    /**
     * Hands a setting to a client library's own parser (e.g. {@code new ConnectionString(...)}); a rejection becomes
     * a configuration problem on that key, exit code 2, with the value masked.
     */
    public <V, R> R convert(ConfigKey<V> key, Function<? super V, ? extends R> parser) {
        V value = config.get(key);
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new ConfigException(key.name(), "'" + Masking.forDisplay(key, key.format(value)) + "' is rejected: "
                    + Masking.maskUris(String.valueOf(e.getMessage())) + " (from " + config.origin(key) + ")");
        }
    }

    /**
     * Reports a fatal error of a started app (a worker that cannot go on): the app shuts down gracefully and the
     * process exits with code 1.
     */
    public void fail(String reason, Throwable cause) {
        onFatal.accept(reason, cause);
    }

    List<Named> afterStartActions() {
        return List.copyOf(afterStart);
    }

    void seal() {
        sealed = true;
    }

    private void checkStarting(String what) {
        if (sealed) {
            throw new IllegalStateException("cannot " + what + ": " + appName
                    + " has already started; open components in Application.start");
        }
    }
}
