package dev.mtp.runtime.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HealthChecksTest {

    @Test
    void up_only_when_every_check_is_up() {
        HealthChecks checks = new HealthChecks(Duration.ofSeconds(1));
        checks.add(HealthCheck.of("kafka", () -> "cluster x, 1 broker"));
        checks.add(HealthCheck.of("redis", () -> "PONG"));
        assertThat(checks.run().up()).isTrue();
        checks.add(HealthCheck.of("mongodb", () -> {
            throw new IOException("Exception opening socket", new ConnectException("Connection refused"));
        }));
        HealthReport report = checks.run();
        assertThat(report.up()).isFalse();
        assertThat(report.checks()).extracting(HealthReport.Result::name).containsExactly("kafka", "redis", "mongodb");
        assertThat(report.checks().get(2).detail()).isEqualTo("Exception opening socket: Connection refused");
        assertThat(report.summary()).isEqualTo(
                "kafka=UP redis=UP mongodb=DOWN(Exception opening socket: Connection refused)");
    }

    @Test
    void a_hanging_check_is_down_after_the_timeout_and_does_not_hold_the_others() {
        HealthChecks checks = new HealthChecks(Duration.ofMillis(200));
        checks.add(HealthCheck.of("slow", () -> {
            Thread.sleep(10_000);
            return "never";
        }));
        checks.add(HealthCheck.of("fast", () -> "ok"));
        long start = System.nanoTime();
        HealthReport report = checks.run();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(report.checks().get(0)).extracting(HealthReport.Result::up, HealthReport.Result::detail)
                .containsExactly(false, "no answer within 200 ms");
        assertThat(report.checks().get(1).up()).isTrue();
    }

    @Test
    void details_are_masked_and_names_are_unique() {
        HealthChecks checks = new HealthChecks(Duration.ofSeconds(1));
        checks.add(HealthCheck.of("redis", () -> {
            throw new IllegalStateException("cannot connect to redis://:hunter2@cache:6379");
        }));
        assertThat(checks.run().checks().getFirst().detail()).isEqualTo("cannot connect to redis://:****@cache:6379");
        assertThatThrownBy(() -> checks.add(HealthCheck.of("redis", () -> "x")))
                .hasMessageContaining("already registered");
    }

    @Test
    void a_check_may_report_down_without_throwing() {
        HealthChecks checks = new HealthChecks(Duration.ofSeconds(1));
        checks.add(new HealthCheck() {
            @Override
            public String name() {
                return "lag";
            }

            @Override
            public Health check() {
                return Health.down("lag 12000 > 10000");
            }
        });
        assertThat(checks.run(checks.checks().getFirst()).detail()).isEqualTo("lag 12000 > 10000");
    }
}
