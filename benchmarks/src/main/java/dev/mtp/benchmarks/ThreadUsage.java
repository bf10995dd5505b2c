package dev.mtp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time and allocated bytes of this JVM, split between the stand-in's threads ({@code mongo-server-*}) and the
 * other Java threads (the writer and the driver, or the broker); CPU also of the rest of the process (GC, JIT). One
 * JVM running both sides then says which side costs what. Allocation does not depend on the machine's load, CPU does.
 * Threads that end between two snapshots lose their share (to the rest, for CPU): take the second one before
 * closing the writer.
 */
final class ThreadUsage {
    private static final String STAND_IN_PREFIX = "mongo-server";
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private record Thread(boolean standIn, long cpuNanos, long allocatedBytes) {}

    private final Map<Long, Thread> threads = new HashMap<>();
    private final long processCpuNanos;

    private ThreadUsage() {
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long id = info.getThreadId();
                long cpu = THREADS.getThreadCpuTime(id);
                long allocated = THREADS.getThreadAllocatedBytes(id);
                if (cpu >= 0 && allocated >= 0) {
                    threads.put(id, new Thread(info.getThreadName().startsWith(STAND_IN_PREFIX), cpu, allocated));
                }
            }
        }
        processCpuNanos = OS.getProcessCpuTime();
    }

    static ThreadUsage now() {
        return new ThreadUsage();
    }

    /** From a snapshot to a later one: CPU seconds and allocated bytes of each side. */
    record Split(double standInCpu, double otherThreadsCpu, double restCpu, long standInBytes, long otherThreadsBytes) {
        double totalCpu() {
            return standInCpu + otherThreadsCpu + restCpu;
        }
    }

    Split since(ThreadUsage before) {
        long[] cpu = new long[2];
        long[] bytes = new long[2];
        threads.forEach((id, now) -> {
            Thread then = before.threads.getOrDefault(id, new Thread(now.standIn(), 0, 0));
            int side = now.standIn() ? 0 : 1;
            cpu[side] += now.cpuNanos() - then.cpuNanos();
            bytes[side] += now.allocatedBytes() - then.allocatedBytes();
        });
        long all = processCpuNanos - before.processCpuNanos;
        return new Split(cpu[0] / 1e9, cpu[1] / 1e9, (all - cpu[0] - cpu[1]) / 1e9, bytes[0], bytes[1]);
    }
}
