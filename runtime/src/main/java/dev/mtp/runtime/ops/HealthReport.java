package dev.mtp.runtime.ops;

import java.util.List;

/** Every check's result; up only when all are up. */
public record HealthReport(boolean up, List<Result> checks) {

    /** One check's result and how long it took. */
    public record Result(String name, boolean up, String detail, long durationMs) {}

    public HealthReport {
        checks = List.copyOf(checks);
    }

    public static HealthReport of(List<Result> results) {
        return new HealthReport(results.stream().allMatch(Result::up), results);
    }

    /** One line for logs: "kafka=UP redis=DOWN(connection refused)". */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (Result r : checks) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(r.name()).append('=').append(r.up() ? "UP" : "DOWN(" + r.detail() + ")");
        }
        return sb.toString();
    }
}
