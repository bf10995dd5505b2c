package dev.mtp.runtime.ops;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One readiness condition of an app: Kafka reachable, Redis answers PING, MongoDB answers {@code ping}. A check
 * that throws is down, with the exception's message as detail; one that takes longer than
 * {@code ops.health-timeout-ms} is down as well.
 */
public interface HealthCheck {

    /** Short, stable name used in the readiness JSON and logs: "kafka", "redis", "mongodb". */
    String name();

    Health check() throws Exception;

    /** A check that is up with the probe's return value as detail, and down when the probe throws. */
    static HealthCheck of(String name, Callable<String> probe) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(probe, "probe");
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Health check() throws Exception {
                String detail = probe.call();
                return Health.up(detail == null ? "ok" : detail);
            }

            @Override
            public String toString() {
                return "HealthCheck[" + name + "]";
            }
        };
    }
}
