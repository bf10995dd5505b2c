package dev.mtp.reconciler.it;

import dev.mtp.embedded.ChildJvm;
import dev.mtp.reconciler.ShadowReconcilerApp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** An app as its own process, ready on its ops port: the test reads its metrics and its CPU, and can SIGKILL it. */
final class ChildApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String DEFAULT_JVM = "-Xmx512m -XX:+UseSerialGC";

    private final ChildJvm jvm;
    private final int opsPort;

    private ChildApp(ChildJvm jvm, int opsPort) {
        this.jvm = jvm;
        this.opsPort = opsPort;
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
        // -Dchild.jvm="...": the heap and collector of every child (default: small and serial, for a busy test machine)
        List<String> options = new ArrayList<>(List.of(System.getProperty("child.jvm", DEFAULT_JVM).trim().split("\\s+")));
        if (System.getProperty("child.jfr") != null) {
            // -Dchild.jfr=DIR: a flight recording per child, for profiling
            options.add("-XX:FlightRecorderOptions:stackdepth=256");
            options.add("-XX:StartFlightRecording=settings=profile,filename=" + System.getProperty("child.jfr") + "/"
                    + log.getFileName() + ".jfr");
        }
        Map<String, String> env = new HashMap<>(environment);
        env.put("OPS_PORT", String.valueOf(opsPort));
        env.put("LOG_FORMAT", "text");
        ChildApp child = new ChildApp(ChildJvm.start(mainClass, System.getProperty("java.class.path"), options, env,
                mainClass, List.of(), log), opsPort);
        await(mainClass + " ready, see " + log).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    if (!child.jvm.isAlive()) {
                        throw new IllegalStateException(mainClass + " exited: " + String.join("\n", child.jvm.lines()));
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
        jvm.kill();
    }

    @Override
    public void close() throws InterruptedException {
        jvm.close();
    }

    Path log() {
        return jvm.output();
    }

    /** CPU time (user + system) the process used so far, in ms. */
    long cpuMillis() throws IOException {
        return Math.round(jvm.cpu().total() * 1000);
    }

    /**
     * CPU time of the process's live threads other than the JIT compilers and the ops HTTP server, in ms: what the
     * app's own work costs once the JVM has compiled it (a short test run is otherwise dominated by C2), without the
     * test's own polling of {@code /metrics} several times a second (a Prometheus scrape comes every 15-60 s).
     */
    long appCpuMillis() throws IOException {
        return cpuMillisOf(name -> !ChildJvm.isJitCompiler(name) && !name.startsWith("ops-http-"));
    }

    /**
     * CPU time of the garbage collector's threads, in ms (part of {@link #appCpuMillis}): the serial collector works
     * in the VM thread, G1 in its own threads ("G1 Conc#0" and the like, digits folded).
     */
    long gcCpuMillis() throws IOException {
        return cpuMillisOf(name -> name.startsWith("VM Thread") || name.startsWith("GC Thread")
                || name.startsWith("GN "));
    }

    /** CPU time per thread name (digits folded), in ms: where a process spends its CPU. */
    Map<String, Long> cpuMillisByThread() throws IOException {
        return jvm.cpuMillisByThread();
    }

    private long cpuMillisOf(java.util.function.Predicate<String> threads) throws IOException {
        return jvm.cpuMillisByThread().entrySet().stream().filter(e -> threads.test(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
