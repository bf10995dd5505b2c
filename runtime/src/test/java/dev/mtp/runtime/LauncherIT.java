package dev.mtp.runtime;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.runtime.ops.HealthCheck;
import dev.mtp.runtime.startup.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class LauncherIT {

    static final ConfigTable TABLE = ConfigTable.builder("it-app").addAll(CommonConfigKeys.runtime(0))
            .add(CommonConfigKeys.REDIS_URL).build();

    // ------------------------------------------------------------------ in-process

    @Test
    void port_in_use_is_one_line_with_exit_code_1() throws IOException {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(0));
            int port = busy.getLocalPort();
            StartFailure f = catchThrowableOfType(StartFailure.class, () -> AppLauncher.start(TABLE, ctx -> {
                throw new AssertionError("the app must not start when its ops port is taken");
            }, Map.of(), Map.of("OPS_PORT", String.valueOf(port))));
            assertThat(f.line()).isEqualTo("it-app: cannot start: ops.port " + port + " is already in use");
            assertThat(f.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void invalid_config_is_one_line_with_exit_code_2_and_opens_nothing() {
        StartFailure f = catchThrowableOfType(StartFailure.class, () -> AppLauncher.start(TABLE, ctx -> {
            throw new AssertionError("not reached");
        }, Map.of(), Map.of("OPS_PORT", "http", "REDIS_URL", "http://:pw@h:1")));
        assertThat(f.line()).isEqualTo("it-app: cannot start: invalid configuration (2 problems): "
                + "ops.port: 'http' is not an integer (from environment variable OPS_PORT); "
                + "redis.url: 'http://:****@h:1' must start with redis:// or rediss:// (from environment variable REDIS_URL)");
        assertThat(f.exitCode()).isEqualTo(2);
    }

    @Test
    void a_failed_start_closes_what_it_opened_in_reverse_order_and_frees_the_ops_port() throws Exception {
        List<String> closed = Collections.synchronizedList(new ArrayList<>());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StartFailure f = catchThrowableOfType(StartFailure.class, () -> AppLauncher.start(TABLE, ctx -> {
            ctx.open("kafka consumer", () -> closed.add("kafka consumer"));
            ctx.open("redis", new Object(), r -> closed.add("redis"));
            ctx.afterStart("worker", () -> closed.add("worker started"));
            throw StartupException.unreachable("mongodb", Duration.ofMillis(300), "Connection refused");
        }, Map.of(), Map.of("OPS_PORT", String.valueOf(port))));
        assertThat(f.line()).isEqualTo("it-app: cannot start: mongodb did not answer within 300 ms: Connection refused");
        assertThat(closed).containsExactly("redis", "kafka consumer");
        try (ServerSocket again = new ServerSocket(port)) {
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void await_healthy_gives_up_after_the_startup_timeout_with_the_last_detail() {
        StartFailure f = catchThrowableOfType(StartFailure.class, () -> AppLauncher.start(TABLE, ctx -> {
            ctx.awaitHealthy(HealthCheck.of("redis", () -> {
                throw new IOException("Connection refused: 127.0.0.1:6390");
            }));
        }, Map.of(), Map.of("APP_LIFECYCLE_STARTUP_TIMEOUT_MS", "400")));
        assertThat(f.line()).isEqualTo("it-app: cannot start: redis did not answer within 400 ms: "
                + "Connection refused: 127.0.0.1:6390");
    }

    @Test
    void a_driver_rejecting_a_setting_is_a_config_problem_with_the_value_masked() {
        StartFailure f = catchThrowableOfType(StartFailure.class, () -> AppLauncher.start(TABLE, ctx ->
                ctx.convert(CommonConfigKeys.REDIS_URL, uri -> {
                    throw new IllegalArgumentException("Cannot parse " + uri);
                }), Map.of(), Map.of("REDIS_URL", "redis://:pw@h:6379/x")));
        assertThat(f.exitCode()).isEqualTo(2);
        assertThat(f.reason()).isEqualTo("invalid configuration: redis.url: 'redis://:****@h:6379/x' is rejected: "
                + "Cannot parse redis://:****@h:6379/x (from environment variable REDIS_URL)");
    }

    @Test
    void an_unexpected_failure_is_still_one_line_naming_the_exception() {
        StartFailure f = catchThrowableOfType(StartFailure.class, () -> AppLauncher.start(TABLE, ctx -> {
            throw new IllegalStateException("codec missing", new ClassNotFoundException("x.Y"));
        }, Map.of(), Map.of()));
        assertThat(f.line()).isEqualTo(
                "it-app: cannot start: IllegalStateException: codec missing: ClassNotFoundException: x.Y");
        assertThat(f.isExpected()).isFalse();
    }

    @Test
    void a_table_without_the_runtime_keys_is_refused() {
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(ConfigTable.of("bare"), ctx -> { }, Map.of(), Map.of()));
        assertThat(f.reason()).contains("lacks ops.port; add CommonConfigKeys.runtime(<ops port>)");
    }

    @Test
    void components_cannot_be_opened_after_start() {
        AppContext[] saved = new AppContext[1];
        try (RunningApp app = AppLauncher.start(TABLE, ctx -> saved[0] = ctx, Map.of(), Map.of())) {
            assertThat(app.opsPort()).isPositive();
            assertThat(catchThrowableOfType(IllegalStateException.class, () -> saved[0].open("late", () -> { })))
                    .hasMessageContaining("has already started");
        }
    }

    @Test
    void shutdown_closes_components_in_reverse_order_within_the_budget() {
        List<String> closed = Collections.synchronizedList(new ArrayList<>());
        RunningApp app = AppLauncher.start(TABLE, ctx -> {
            ctx.open("a", () -> closed.add("a"));
            ctx.open("stuck", () -> {
                closed.add("stuck");
                Thread.sleep(60_000);
            });
            ctx.open("c", () -> closed.add("c"));
        }, Map.of(), Map.of("APP_LIFECYCLE_SHUTDOWN_TIMEOUT_MS", "500"));
        long start = System.nanoTime();
        app.stop("test");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(closed).containsExactly("c", "stuck", "a");
        assertThat(app.isStopped()).isTrue();
        app.stop("again"); // idempotent
    }

    @Test
    void a_fatal_error_after_start_shuts_down_with_exit_code_1() {
        RunningApp app = AppLauncher.start(TABLE, ctx -> ctx.afterStart("worker",
                () -> ctx.fail("poll loop died", new IllegalStateException("x"))), Map.of(), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(app::isStopped);
        assertThat(app.awaitExit()).isEqualTo(1);
        assertThat(app.stopReason()).isEqualTo("fatal: poll loop died");
    }

    // ------------------------------------------------------------------ real process

    record Outcome(int exitCode, String stdout, String stderr) {}

    private static Process launch(Map<String, String> env, Path stdout, Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LauncherTestMain.class.getName());
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> k.startsWith("APP_") || k.startsWith("OPS_") || k.equals("REDIS_URL")
                || k.equals("LOG_FORMAT"));
        childEnv.putAll(env);
        return pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    private static Outcome run(Map<String, String> env) throws Exception {
        Path dir = Files.createTempDirectory("launcher-it");
        try {
            Process p = launch(env, dir.resolve("stdout.log"), dir.resolve("stderr.log"));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM exits").isTrue();
            return new Outcome(p.exitValue(), Files.readString(dir.resolve("stdout.log")),
                    Files.readString(dir.resolve("stderr.log")));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void process_with_its_ops_port_taken_prints_one_line_to_stderr_and_exits_1() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(0));
            Outcome o = run(Map.of("OPS_PORT", String.valueOf(busy.getLocalPort())));
            assertThat(o.stderr()).isEqualTo("it-app: cannot start: ops.port " + busy.getLocalPort()
                    + " is already in use" + System.lineSeparator());
            assertThat(o.exitCode()).isEqualTo(1);
            assertThat(o.stdout()).doesNotContain("\tat ");
        }
    }

    @Test
    void process_with_bad_config_prints_one_line_to_stderr_and_exits_2() throws Exception {
        Outcome o = run(Map.of("APP_TEST_FAIL_AFTER_START", "maybe", "APP_TEST_FAIL_AFTR_START", "true"));
        assertThat(o.stderr()).isEqualTo("it-app: cannot start: invalid configuration (2 problems): "
                + "app.test.fail-after-start: 'maybe' is not a boolean (true or false) (from environment variable "
                + "APP_TEST_FAIL_AFTER_START); APP_TEST_FAIL_AFTR_START: unknown key (from environment variable "
                + "APP_TEST_FAIL_AFTR_START), did you mean APP_TEST_FAIL_AFTER_START?" + System.lineSeparator());
        assertThat(o.exitCode()).isEqualTo(2);
    }

    @Test
    void process_with_a_fatal_error_after_start_shuts_down_gracefully_and_exits_1() throws Exception {
        Outcome o = run(Map.of("APP_TEST_FAIL_AFTER_START", "true"));
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.stderr()).isEqualTo("it-app: stopped: fatal: worker lost its partition" + System.lineSeparator());
        assertThat(o.stdout()).contains("\"msg\":\"shutdown complete in");
    }

    @Test
    void sigterm_runs_the_graceful_shutdown_closing_in_reverse_order(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("it-app.yaml");
        Files.writeString(config, "redis:\n  url: redis://:secret@cache:6379\n");
        Path stdout = dir.resolve("stdout.log");
        Path stderr = dir.resolve("stderr.log");
        Process p = launch(Map.of("APP_CONFIG_FILE", config.toString(), "LOG_FORMAT", "json"), stdout, stderr);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(stdout).contains("started in"));
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(stdout);
        assertThat(p.exitValue()).as("exit code after SIGTERM; log: %s", log).isEqualTo(143);
        assertThat(log).contains("\"msg\":\"config redis.url=redis://:****@cache:6379 (redis.url in file " + config)
                .doesNotContain("secret");
        assertThat(log.indexOf("shutdown started: SIGTERM")).as(log).isPositive()
                .isLessThan(log.indexOf("closing second"));
        assertThat(log.indexOf("closing second")).isLessThan(log.indexOf("closing first"));
        assertThat(log.indexOf("closing first")).isLessThan(log.indexOf("shutdown complete"));
        assertThat(Files.readString(stderr)).isEmpty();
    }
}
