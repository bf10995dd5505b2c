package dev.mtp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of a child JVM split by what its threads do: the application's threads (and the clients' I/O threads),
 * garbage collection, the JIT compilers. Read from Linux's {@code /proc/<pid>/task}; elsewhere only the total is
 * known. A short run pays for its JIT, and a system that allocates more pays for its GC: the split says which.
 */
record ProcessCpu(double total, double application, double gc, double jit) {
    /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on every Linux build in use). */
    private static final double TICKS_PER_SECOND = 100.0;

    static ProcessCpu of(ProcessHandle process, double totalSeconds) {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return new ProcessCpu(totalSeconds, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] ticks = new long[3];
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    String stat = Files.readString(thread.resolve("stat"));
                    // After the parenthesised name come state (field 3), ...; utime and stime are fields 14 and 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks[kind(name)] += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while it was read: its time is only in the total
                }
            });
        } catch (IOException e) {
            return new ProcessCpu(totalSeconds, Double.NaN, Double.NaN, Double.NaN);
        }
        return new ProcessCpu(totalSeconds, ticks[0] / TICKS_PER_SECOND, ticks[1] / TICKS_PER_SECOND,
                ticks[2] / TICKS_PER_SECOND);
    }

    /** The CPU used since {@code before}, a reading of the same process. */
    ProcessCpu minus(ProcessCpu before) {
        return new ProcessCpu(total - before.total, application - before.application, gc - before.gc, jit - before.jit);
    }

    /** 0 application, 1 GC (HotSpot's collector threads and the VM thread that runs its pauses), 2 JIT. */
    private static int kind(String threadName) {
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return 2;
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
            return 1;
        }
        return 0;
    }
}
