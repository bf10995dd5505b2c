package dev.mtp.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code redis-server} child process on 127.0.0.1, with its own port and directory, for tests that
 * flush, stop or restart Redis. By default nothing is persisted ({@code --save "" --appendonly no}), so a
 * {@link #restart()} starts empty; with {@link Builder#appendOnly(boolean)} the data survives a restart.
 *
 * <p>No process outlives its owner: {@link #close()} stops it, a shutdown hook stops it when the JVM exits
 * normally, and a watchdog shell between the JVM and redis-server stops it when the JVM dies by any means.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final String HOST = "127.0.0.1";
    private static final List<Path> KNOWN_BINARIES = List.of(Path.of("/usr/bin/redis-server"),
            Path.of("/usr/local/bin/redis-server"));
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int BIND_ATTEMPTS = 3;
    /**
     * Runs redis-server ("$@") and exits with it, while a reader of stdin, which the JVM holds, waits for EOF:
     * closing it, or the JVM dying even by SIGKILL, makes the reader stop redis-server gracefully. Background jobs
     * of sh read /dev/null unless redirected, hence the copy of stdin on fd 3.
     */
    private static final String WATCHDOG = """
            exec 3<&0
            "$@" </dev/null &
            server=$!
            ( while read -r _; do :; done; kill -TERM "$server" 2>/dev/null ) <&3 &
            exec 3<&-
            wait "$server"
            """;

    private final Path binary;
    private final Path dir;
    private final boolean deleteDirOnClose;
    private final boolean appendOnly;
    private final List<String> extraArgs;
    private final Thread shutdownHook;
    private volatile int port;
    private Process watchdog;
    private boolean closed;

    private RedisServerProcess(Path binary, Path dir, boolean deleteDirOnClose, boolean appendOnly,
                               List<String> extraArgs) {
        this.extraArgs = extraArgs;
        this.binary = binary;
        this.dir = dir;
        this.deleteDirOnClose = deleteDirOnClose;
        this.appendOnly = appendOnly;
        this.shutdownHook = new Thread(this::stopQuietly, "redis-server-" + dir.getFileName() + "-stop");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The redis-server binary on this machine, if any: the usual paths, then PATH. */
    public static Optional<Path> findBinary() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, "redis-server"));
        return Stream.concat(KNOWN_BINARIES.stream(), onPath).filter(Files::isExecutable).findFirst();
    }

    /** {@code redis://127.0.0.1:PORT}; the port stays the same across {@link #stop()} and {@link #start()}. */
    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Working directory of redis-server: its log ({@code redis.log}) and, with append-only, its data. */
    public Path dir() {
        return dir;
    }

    public synchronized boolean isRunning() {
        return watchdog != null && watchdog.isAlive();
    }

    /** Starts redis-server again on the same port after {@link #stop()}; waits until it answers PING. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("closed: " + this);
        }
        if (isRunning()) {
            return;
        }
        if (watchdog != null) {
            // redis-server died by itself: release the reader its watchdog left waiting on stdin.
            killNow(watchdog);
            watchdog = null;
        }
        launch();
    }

    /**
     * Stops redis-server gracefully (SIGTERM: clients are disconnected, the append-only file is flushed) and waits
     * until it has exited. Clients see connection errors until {@link #start()}.
     */
    public synchronized void stop() {
        if (watchdog == null) {
            return;
        }
        Process process = watchdog;
        watchdog = null;
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("redis-server on port {} did not stop within {}, killing it", port, STOP_TIMEOUT);
                killNow(process);
                process.waitFor();
            }
            LOG.info("redis-server {} stopped", url());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal redis-server on port " + port + " to stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killNow(process);
        }
    }

    /** {@link #stop()} then {@link #start()} on the same port: the "Redis restarted mid-stream" fault. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops redis-server and deletes its directory unless the caller gave it; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from another shutdown hook: ours runs anyway and finds nothing left to stop.
        }
        if (deleteDirOnClose) {
            Dirs.deleteRecursively(dir);
        }
    }

    @Override
    public String toString() {
        return "RedisServerProcess[" + url() + ", " + dir + "]";
    }

    private void launch() {
        boolean pickPort = port == 0;
        for (int attempt = 1; ; attempt++) {
            int candidate = pickPort ? FreePorts.pick() : port;
            long start = System.nanoTime();
            Process process = spawn(candidate);
            if (awaitPong(process, candidate)) {
                port = candidate;
                watchdog = process;
                LOG.info("redis-server {} ready in {} ms (dir {})", url(), (System.nanoTime() - start) / 1_000_000,
                        dir);
                return;
            }
            killNow(process);
            String log = logTail();
            // Only a port picked here may have been taken meanwhile; a fixed one would fail the same way again.
            if (!(pickPort && attempt < BIND_ATTEMPTS && log.contains("Address already in use"))) {
                throw new IllegalStateException("redis-server on port " + candidate + " did not start; "
                        + dir.resolve("redis.log") + " ends with:\n" + log);
            }
        }
    }

    private Process spawn(int candidatePort) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "redis-server-watchdog",
                binary.toString(), "--port", Integer.toString(candidatePort), "--bind", HOST, "--dir", dir.toString(),
                "--daemonize", "no", "--save", "", "--appendonly", appendOnly ? "yes" : "no"));
        command.addAll(extraArgs);
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** Polls PING until +PONG; false if the process exited or the timeout passed. */
    private boolean awaitPong(Process process, int candidatePort) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (answersPong(candidatePort)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** SIGKILL to redis-server and the watchdog, and EOF to the watchdog's reader, which may outlive both. */
    private static void killNow(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The reader is gone already: nothing left to tell.
        }
    }

    private static boolean answersPong(int candidatePort) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidatePort), 250);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            // -LOADING while an append-only file is replayed: not ready yet.
            return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping {} at JVM exit failed", this, e);
        }
    }

    /** Options of one redis-server; every default is stated once, here. */
    public static final class Builder {

        private Path binary;
        private Path dir;
        private int port;
        private boolean appendOnly;
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {
        }

        /** The redis-server executable. Default: {@link #findBinary()}. */
        public Builder binary(Path binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** Working directory, kept on close. Default: a fresh temporary directory, deleted on close. */
        public Builder dir(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Port on 127.0.0.1; 0 (the default) picks a free one, then keeps it for every restart. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** {@code --appendonly yes}: writes survive {@link #restart()}. Default false: a restart starts empty. */
        public Builder appendOnly(boolean appendOnly) {
            this.appendOnly = appendOnly;
            return this;
        }

        /**
         * More redis-server options, e.g. a TLS port ({@code --tls-port N --tls-cert-file ...}) or an ACL user
         * ({@code --user writer on >password ~* &* +@all}). Readiness is still checked on the plain port.
         */
        public Builder args(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Starts redis-server and waits until it answers PING. */
        public RedisServerProcess start() {
            Path executable = binary != null ? binary : findBinary().orElseThrow(() -> new IllegalStateException(
                    "no redis-server found in " + KNOWN_BINARIES + " or on PATH; install it,"
                            + " e.g. apt-get install redis-server"));
            if (!Files.isExecutable(executable)) {
                throw new IllegalArgumentException("redis-server binary " + executable + " is not an executable file");
            }
            boolean ownsDir = dir == null;
            Path workDir = ownsDir ? Dirs.createTemp("mtp-redis-") : Dirs.createDirectories(dir);
            RedisServerProcess redis = new RedisServerProcess(executable, workDir, ownsDir, appendOnly,
                    List.copyOf(extraArgs));
            redis.port = port;
            Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
            try {
                redis.start();
                return redis;
            } catch (RuntimeException e) {
                redis.close();
                throw e;
            }
        }
    }
}
