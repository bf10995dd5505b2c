package dev.mtp.runtime.kafka;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigSource;
import dev.mtp.common.config.ConfigTable;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientsTest {

    final Config config = ConfigTable.builder("cache-writer").addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS).build()
            .resolve(ConfigSource.environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k1:9092, k2:9093",
                    "APP_TOPICS_PARTITIONS", "12")));

    @Test
    void producer_keeps_acknowledged_writes() {
        Map<String, Object> p = KafkaClients.producer(config);
        assertThat(p).containsEntry("bootstrap.servers", "k1:9092,k2:9093")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true);
        assertThat((String) p.get("client.id")).startsWith("cache-writer-").endsWith("-producer");
    }

    @Test
    void consumer_commits_only_what_the_app_commits() {
        assertThat(KafkaClients.consumer(config, "cache-writer"))
                .containsEntry("group.id", "cache-writer")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest");
    }

    @Test
    void client_ids_are_sanitized() {
        assertThat(KafkaClients.sanitize("a b/c:d-e.f_g")).isEqualTo("a_b_c_d-e.f_g");
        assertThat(KafkaClients.clientId("x", "admin")).matches("x-[A-Za-z0-9._-]+-admin");
    }

    @Test
    void topic_spec_from_config() {
        assertThat(TopicSpec.of("mtp.sessions", config)).isEqualTo(new TopicSpec("mtp.sessions", 12, (short) 1));
    }
}
