package dev.mtp.reconciler.it;

import dev.mtp.reconciler.ShadowReconcilerApp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** An app as its own process (this JVM's classpath): the test can kill it with SIGKILL and measure its CPU. */
final class ChildApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String DEFAULT_JVM = "-Xmx512m -XX:+UseSerialGC";

    private final Process process;
    private final int opsPort;
    private final Path log;

    private ChildApp(Process process, int opsPort, Path log) {
        this.process = process;
        this.opsPort = opsPort;
        this.log = log;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ChildApp reconciler(Map<String, String> environment, int opsPort, Path log) throws IOException {
        return start(ShadowReconcilerApp.class.getName(), environment, opsPort, log);
    }

    static ChildApp start(String mainClass, Map<String, String> environment, int opsPort, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        // -Dchild.jvm="...": the heap and collector of every child (default: small and serial, for a busy test machine)
        command.addAll(List.of(System.getProperty("child.jvm", DEFAULT_JVM).trim().split("\\s+")));
        if (System.getProperty("child.jfr") != null) {
            // -Dchild.jfr=DIR: a flight recording per child, for profiling
            command.add("-XX:FlightRecorderOptions:stackdepth=256");
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + System.getProperty("child.jfr") + "/"
                    + log.getFileName() + ".jfr");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.environment().put("OPS_PORT", String.valueOf(opsPort));
        pb.environment().put("LOG_FORMAT", "text");
        Files.createDirectories(log.getParent());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ChildApp child = new ChildApp(pb.start(), opsPort, log);
        await(mainClass + " ready, see " + log).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    if (!child.process.isAlive()) {
                        throw new IllegalStateException(mainClass + " exited: " + Files.readString(log));
                    }
                    return child.get("/health/ready").statusCode() == 200;
                });
        return child;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of every series of a Prometheus metric, e.g. {@code mtp_reconciler_events_total}. */
    double metric(String name) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : get("/metrics").body().lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** SIGKILL: no shutdown hook, no final commit, no checkpoint. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the process did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    Path log() {
        return log;
    }

    /** CPU time (user + system) the process used so far, in ms, from /proc (Linux). */
    long cpuMillis() throws IOException {
        return ticksToMillis(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat")));
    }

    /**
     * CPU time of the process's live threads other than the JIT compilers and the ops HTTP server, in ms: what the
     * app's own work costs once the JVM has compiled it (a short test run is otherwise dominated by C2), without the
     * test's own polling of {@code /metrics} several times a second (a Prometheus scrape comes every 15-60 s).
     */
    long appCpuMillis() throws IOException {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")
                            && !name.startsWith("ops-http-")) {
                        total += ticksToMillis(stat);
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return total;
    }

    /**
     * CPU time of the garbage collector's threads, in ms (part of {@link #appCpuMillis}): the serial collector works
     * in the VM thread, G1 in its own threads ("G1 Conc#0" and the like, digits folded).
     */
    long gcCpuMillis() throws IOException {
        return cpuMillisByThread().entrySet().stream()
                .filter(e -> e.getKey().startsWith("VM Thread") || e.getKey().startsWith("GC Thread")
                        || e.getKey().startsWith("GN "))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** CPU time per thread name (digits folded), in ms: where a process spends its CPU. */
    Map<String, Long> cpuMillisByThread() throws IOException {
        Map<String, Long> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    byName.merge(name, ticksToMillis(stat), Long::sum);
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return byName;
    }

    private static long ticksToMillis(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
}
