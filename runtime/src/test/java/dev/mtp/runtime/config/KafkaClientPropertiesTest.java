package dev.mtp.runtime.config;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigSource;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.runtime.kafka.KafkaClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientPropertiesTest {

    static final String SASL_SSL = """
            security.protocol=SASL_SSL
            sasl.mechanism=SCRAM-SHA-512
            sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                username="writer" password="s3cret-pw";
            ssl.truststore.location=/etc/kafka/ca.p12
            ssl.truststore.password=store-pw
            """;

    @TempDir
    Path dir;

    Config config(Path file) {
        return ConfigTable.builder("cache-writer").addAll(CommonConfigKeys.KAFKA).build()
                .resolve(ConfigSource.environment(Map.of("KAFKA_CONFIG_FILE", file.toString())));
    }

    @Test
    void every_client_gets_the_file_s_properties_under_the_pipeline_s_own() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), SASL_SSL);
        Config config = config(file);

        Map<String, Object> producer = KafkaClients.producer(config);
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("acks", "all").containsEntry("bootstrap.servers", "localhost:9092");
        assertThat((String) producer.get("sasl.jaas.config")).endsWith("username=\"writer\" password=\"s3cret-pw\";");
        assertThat(KafkaClients.consumer(config, "g")).containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12");
        assertThat(KafkaClients.admin(config)).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void settings_the_pipeline_relies_on_are_refused_each_named() {
        assertThatThrownBy(() -> KafkaClientProperties.parse("client.properties", """
                acks=1
                enable.auto.commit=true
                producer.enable.idempotence=false
                security.protocol=SSL
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("kafka.config-file: 'client.properties' sets acks, which the pipeline sets "
                        + "itself (the producer keeps 'nothing acknowledged is lost' (acks=all, idempotence on)); "
                        + "remove it")
                .hasMessageContaining("sets enable.auto.commit")
                .hasMessageContaining("sets producer.enable.idempotence")
                .hasMessageNotContaining("security.protocol");
    }

    @Test
    void a_setting_the_app_derives_from_its_own_key_is_refused() {
        assertThatThrownBy(() -> KafkaClientProperties.parse("f", "max.poll.records=10"))
                .hasMessageContaining("sets max.poll.records, which the pipeline sets itself (the app sets it from "
                        + "its own settings (docs/config))");
    }

    @Test
    void a_missing_file_is_a_configuration_problem() {
        assertThatThrownBy(() -> KafkaClientProperties.load(config(dir.resolve("absent.properties"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.config-file: cannot read '" + dir.resolve("absent.properties") + "' "
                        + "(from environment variable KAFKA_CONFIG_FILE): NoSuchFileException");
    }

    @Test
    void no_file_means_no_pass_through() {
        Config config = ConfigTable.builder("x").addAll(CommonConfigKeys.KAFKA).build().resolve(ConfigSource.empty());
        assertThat(KafkaClientProperties.load(config)).isEmpty();
    }

    @Test
    void secrets_are_masked_for_display() {
        Map<String, String> props = KafkaClientProperties.parse("f", SASL_SSL);
        assertThat(KafkaClientProperties.forDisplay("sasl.jaas.config", props.get("sasl.jaas.config")))
                .isEqualTo("****");
        assertThat(KafkaClientProperties.forDisplay("ssl.truststore.password", "store-pw")).isEqualTo("****");
        assertThat(KafkaClientProperties.forDisplay("ssl.key.password", "k")).isEqualTo("****");
        assertThat(KafkaClientProperties.forDisplay("ssl.keystore.key", "-----BEGIN")).isEqualTo("****");
        assertThat(KafkaClientProperties.forDisplay("sasl.oauthbearer.client.credentials.client.secret", "x"))
                .isEqualTo("****");
        assertThat(KafkaClientProperties.forDisplay("security.protocol", "SASL_SSL")).isEqualTo("SASL_SSL");
    }
}
