package dev.mtp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this JVM split between the stand-in's threads ({@code mongo-server-*}), the other Java threads (the
 * writer and the driver) and the rest (GC, JIT), so that one JVM running both sides says which side costs what.
 * Threads that end between two snapshots lose their share to the rest: take the second one before closing.
 */
final class ThreadCpu {
    private static final String STAND_IN_PREFIX = "mongo-server";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Nanoseconds of CPU: per thread id, and of the whole process. */
    private final Map<Long, Long> perThread = new HashMap<>();
    private final Map<Long, Boolean> standIn = new HashMap<>();
    private final long process;

    private ThreadCpu() {
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    perThread.put(info.getThreadId(), cpu);
                    standIn.put(info.getThreadId(), info.getThreadName().startsWith(STAND_IN_PREFIX));
                }
            }
        }
        process = OS.getProcessCpuTime();
    }

    static ThreadCpu now() {
        return new ThreadCpu();
    }

    /** Seconds of CPU from {@code before} to this snapshot: stand-in, other Java threads, rest of the process. */
    record Split(double standIn, double client, double rest) {
        double total() {
            return standIn + client + rest;
        }
    }

    Split since(ThreadCpu before) {
        long server = 0;
        long client = 0;
        for (Map.Entry<Long, Long> e : perThread.entrySet()) {
            long delta = e.getValue() - before.perThread.getOrDefault(e.getKey(), 0L);
            if (standIn.get(e.getKey())) {
                server += delta;
            } else {
                client += delta;
            }
        }
        long all = process - before.process;
        return new Split(server / 1e9, client / 1e9, (all - server - client) / 1e9);
    }
}
