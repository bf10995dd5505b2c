package dev.mtp.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A main class run in a child JVM with this JVM's class path, for the benchmarks: its wall time, its peak resident
 * memory (VmHWM) and its CPU time (user + system), both polled from /proc until it exits.
 */
record ChildJvm(int exitCode, double seconds, long peakRssKb, double cpuSeconds, String output) {

    /** Clock ticks per second of /proc/PID/stat's times (USER_HZ: 100 on Linux). */
    private static final double TICKS = 100.0;

    static ChildJvm run(String heap, Map<String, String> env, String main, String... args) throws Exception {
        return runUntil(heap, env, () -> false, main, args);
    }

    /**
     * Runs until the child exits or {@code done} says so (then it is stopped: an app that never ends by itself, timed
     * until it has caught up).
     */
    static ChildJvm runUntil(String heap, Map<String, String> env, Callable<Boolean> done, String main,
                             String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("mtp-bench", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process p = builder.start();
        long peak = 0;
        long ticks = 0;
        Path proc = Path.of("/proc", Long.toString(p.pid()));
        boolean finished = false;
        while (p.isAlive() && !finished) {
            peak = Math.max(peak, vmHwmKb(proc.resolve("status")));
            ticks = Math.max(ticks, cpuTicks(proc.resolve("stat")));
            finished = done.call();
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.isAlive()) {
            p.destroy();
            p.waitFor();
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        return new ChildJvm(finished ? 0 : p.exitValue(), seconds, peak, ticks / TICKS, output);
    }

    ChildJvm check() {
        if (exitCode != 0) {
            throw new IllegalStateException("child ended with " + exitCode + ":\n" + output);
        }
        return this;
    }

    private static long vmHwmKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between the check and the read
        }
        return 0;
    }

    /** utime + stime of /proc/PID/stat (fields 14 and 15, after the command name in parentheses). */
    private static long cpuTicks(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
