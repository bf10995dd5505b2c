package dev.mtp.ingest.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A benchmark's server (the broker, the ingest) in its own JVM, so that its CPU time is its own: read from Linux's
 * {@code /proc/<pid>/stat}, all threads (collector included), with the JIT compilers' share apart: a run on a busy
 * machine may still be compiling after its warm-up. Output goes to a file.
 */
final class ChildJvm implements AutoCloseable {
    /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on every Linux build in use). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final String name;
    private final Process process;
    private final Path output;

    private ChildJvm(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * @param classpath the child's class path (the benchmark's own unless another build of the ingest is compared)
     * @param jvmOptions e.g. {@code -Xmx384m}, a flight recording
     */
    static ChildJvm start(String name, String classpath, List<String> jvmOptions, Map<String, String> environment,
                          String mainClass, List<String> args, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        return new ChildJvm(name, builder.start(), output);
    }

    /** Waits until the child accepts connections on {@code port} of 127.0.0.1. */
    void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + Files.readString(output));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not listen on " + port + " within " + timeout
                            + "; its output: " + output);
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * CPU seconds the child has used so far: user and system time of every thread, of which the kernel's (system
     * calls: sockets, thread wake-ups) and the JIT compilers'.
     */
    Cpu cpu() throws IOException {
        double jit = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path thread : threads.toList()) {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        jit += seconds(Files.readString(thread.resolve("stat")));
                    }
                } catch (IOException ended) {
                    // the thread ended while it was read: its time is only in the total
                }
            }
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        return new Cpu(seconds(stat), ticks(stat, 12) / TICKS_PER_SECOND, jit);
    }

    record Cpu(double total, double system, double jit) {}

    private static double seconds(String stat) {
        return (ticks(stat, 11) + ticks(stat, 12)) / TICKS_PER_SECOND;
    }

    /** After the parenthesised command come state (field 3), ...; utime and stime are fields 14 and 15. */
    private static long ticks(String stat, int afterCommand) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[afterCommand]);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
