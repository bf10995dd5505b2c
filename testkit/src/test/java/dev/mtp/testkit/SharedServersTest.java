package dev.mtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SharedServersTest {

    private final Map<String, String> env = Map.of(
            SharedServers.KAFKA_ENV, "kafka-1:9092,kafka-2:9092",
            SharedServers.REDIS_ENV, " redis://cache:6379 ",
            SharedServers.MONGODB_ENV, "mongodb://mongo:27017/?replicaSet=rs0");

    @Test
    void externalServersFromTheEnvironmentAreUsedAsGivenAndNothingIsStarted() {
        try (SharedServers servers = new SharedServers(env::get)) {
            assertThat(servers.kafkaBootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
            assertThat(servers.redisUrl()).isEqualTo("redis://cache:6379");
            assertThat(servers.mongoUri()).isEqualTo("mongodb://mongo:27017/?replicaSet=rs0");
            assertThat(servers.redisServer()).isEmpty();
        }
    }

    @Test
    void stoppedServersRefuseUse() {
        SharedServers servers = new SharedServers(env::get);
        servers.close();
        assertThatThrownBy(servers::kafkaBootstrapServers).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already stopped");
    }

    @Test
    void aDockerHostSettingMeansAnEngineMayAnswer() {
        assertThat(DockerProbe.engineConfigured(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")::get)).isTrue();
    }
}
