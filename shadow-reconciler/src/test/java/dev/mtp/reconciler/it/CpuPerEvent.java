package dev.mtp.reconciler.it;

/**
 * A process's CPU over a measured window, split into what the events cost and what it burns anyway: at a low rate the
 * fixed cost per second (poll loops, punctuations, commits) is much of the CPU per event, at peak load little of it.
 *
 * @param cpuMillis      CPU over the window
 * @param idleMillisPerS CPU per second with no traffic
 * @param seconds        the window's length
 * @param events         events in the window
 */
record CpuPerEvent(long cpuMillis, double idleMillisPerS, double seconds, int events) {

    /** The CPU beyond what the process burns idle, per event. */
    double marginalMicros() {
        return (cpuMillis - idleMillisPerS * seconds) * 1_000.0 / events;
    }

    /** The idle CPU the window would have cost anyway, per event. */
    double fixedMicros() {
        return idleMillisPerS * seconds * 1_000.0 / events;
    }
}
