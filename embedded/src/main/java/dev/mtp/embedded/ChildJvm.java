package dev.mtp.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A main class run in its own JVM, as {@code ./mtp up} runs the servers and apps, with its output in a file: a test
 * can wait for a line or a port, stop it with SIGTERM or SIGKILL, and read the CPU time it used (Linux's
 * {@code /proc}), its own and not the test's.
 */
public final class ChildJvm implements AutoCloseable {
    /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on every Linux build in use). */
    private static final long TICKS_PER_SECOND = 100;
    private static final Duration POLL = Duration.ofMillis(50);

    private final String name;
    private final Process process;
    private final Path output;

    private ChildJvm(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** {@code mainClass} on this JVM's class path, with no JVM options. */
    public static ChildJvm start(Class<?> mainClass, Path output, String... args) throws IOException {
        return start(mainClass.getSimpleName(), System.getProperty("java.class.path"), List.of(), Map.of(),
                mainClass.getName(), List.of(args), output);
    }

    /**
     * @param classpath   the child's class path (this JVM's, unless another build is compared)
     * @param jvmOptions  e.g. {@code -Xmx384m}, {@code -Dkey=value}, a flight recording
     * @param environment added to this JVM's environment
     */
    public static ChildJvm start(String name, String classpath, List<String> jvmOptions,
                                 Map<String, String> environment, String mainClass, List<String> args, Path output)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        Files.createDirectories(output.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        return new ChildJvm(name, builder.start(), output);
    }

    /** Waits until the output has a line containing {@code text}; returns that line. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = !process.isAlive();
            Optional<String> line = lines().stream().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (exited) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before '" + text
                        + "':\n" + String.join("\n", lines()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in " + output + " within " + timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Waits until the child accepts connections on {@code port} of 127.0.0.1. */
    public void awaitListening(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n"
                        + String.join("\n", lines()));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not listen on " + port + " within " + timeout
                            + "; its output: " + output);
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    /** SIGTERM, as {@code ./mtp down} sends; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Waits for the JVM to exit by itself; returns the exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + ": no exit within " + timeout + "; output:\n" + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no last commit, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path output() {
        return output;
    }

    public List<String> lines() {
        try {
            return Files.readAllLines(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU seconds used so far: every thread's, ended ones included; of which the kernel's and the JIT compilers'. */
    public record Cpu(double total, double system, double jit) {}

    /**
     * The child's CPU time so far. The JIT compilers' share is apart because a run on a busy machine may still be
     * compiling after its warm-up.
     */
    public Cpu cpu() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        long jitMillis = cpuMillisByThread().entrySet().stream().filter(e -> isJitCompiler(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        return new Cpu(millis(stat) / 1000.0, (double) ticks(stat, 12) / TICKS_PER_SECOND, jitMillis / 1000.0);
    }

    /**
     * CPU time of each live thread, in ms, by thread name as {@link #threadName} gives it: digits folded to N
     * ("GC Thread#N"), and at most 15 characters.
     */
    public Map<String, Long> cpuMillisByThread() throws IOException {
        Map<String, Long> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    byName.merge(threadName(stat), millis(stat), Long::sum);
                } catch (IOException ended) {
                    // the thread ended while it was read: its time is only in the process's total
                }
            }
        }
        return byName;
    }

    /**
     * The thread's name in a {@code /proc} stat line, digits folded to N. Linux keeps the first 15 characters of a
     * name: HotSpot's "C2 CompilerThread0" is read as "C2 CompilerThre", and so named "CN CompilerThre".
     */
    static String threadName(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
    }

    /**
     * Whether a thread named as in {@link #cpuMillisByThread} compiles for the JIT (C1 or C2): its CPU is the JVM
     * warming up, not the program's work, and dominates a short run.
     */
    public static boolean isJitCompiler(String threadName) {
        return threadName.startsWith("CN Compiler");
    }

    private static long millis(String stat) {
        return (ticks(stat, 11) + ticks(stat, 12)) * 1000 / TICKS_PER_SECOND;
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
                kill();
            }
        }
    }
}
