package dev.mtp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void servesOnLoopbackWithSingleNodeDefaultsAndFreesItsPortOnClose() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().partitions(4).start();
        Path dataDir = broker.dataDir();
        try (Admin admin = admin(broker)) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);

            admin.createTopics(List.of(new NewTopic("defaults", Optional.empty(), Optional.empty())))
                    .all().get(10, TimeUnit.SECONDS);
            assertThat(admin.describeTopics(List.of("defaults")).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get("defaults").partitions()).hasSize(4);

            Map<String, String> config = brokerConfig(admin);
            assertThat(config).containsEntry("auto.create.topics.enable", "false")
                    .containsEntry("group.initial.rebalance.delay.ms", "0")
                    .containsEntry("offsets.topic.replication.factor", "1")
                    .containsEntry("transaction.state.log.min.isr", "1");
        } finally {
            broker.close();
        }
        assertThat(FreePorts.isListening(broker.port())).isFalse();
        assertThat(FreePorts.isListening(broker.controllerPort())).isFalse();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void keptDataDirIsFormattedOnceAndKeepsTopicsAcrossRestarts(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).start();
             Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        assertThat(dataDir.resolve("kraft/meta.properties")).exists();

        // New ports on purpose: the single controller must find itself again under its new address.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).start();
             Admin admin = admin(broker)) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("kept");
        }
        assertThat(dataDir).isDirectory();
    }

    @Test
    void takenPortIsReportedClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(port).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Kafka cannot listen on 127.0.0.1:" + port + " (clients)")
                    .hasMessageContaining("Address already in use");
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static Map<String, String> brokerConfig(Admin admin) throws Exception {
        ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
        return admin.describeConfigs(List.of(node)).all().get(10, TimeUnit.SECONDS).get(node).entries().stream()
                .filter(entry -> entry.value() != null)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
    }
}
