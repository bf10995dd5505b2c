package dev.mtp.runtime.config;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretFileSourceTest {

    static final ConfigTable TABLE = ConfigTable.builder("cache-writer").addAll(CommonConfigKeys.runtime(8091))
            .addAll(CommonConfigKeys.KAFKA).add(CommonConfigKeys.REDIS_URL).addAll(CommonConfigKeys.MONGODB).build();

    @TempDir
    Path dir;

    @Test
    void a_secret_comes_from_the_file_its_FILE_variable_names_without_the_trailing_line_break() throws Exception {
        Path secret = Files.writeString(dir.resolve("redis-url"), "rediss://writer:pw@redis:6380\n");
        Config config = ConfigLoader.load(TABLE, Map.of(), Map.of("REDIS_URL_FILE", secret.toString()));

        assertThat(config.get(CommonConfigKeys.REDIS_URL)).isEqualTo(URI.create("rediss://writer:pw@redis:6380"));
        assertThat(config.origin(CommonConfigKeys.REDIS_URL))
                .isEqualTo("file " + secret + " (environment variable REDIS_URL_FILE)");
        assertThat(config.describe()).contains("redis.url=rediss://writer:****@redis:6380");
    }

    @Test
    void a_system_property_still_wins_over_a_secret_file() throws Exception {
        Path secret = Files.writeString(dir.resolve("uri"), "mongodb://u:p@m1:27017");
        Config config = ConfigLoader.load(TABLE, Map.of("mongodb.uri", "mongodb://m2:27017"),
                Map.of("MONGODB_URI_FILE", secret.toString()));
        assertThat(config.get(CommonConfigKeys.MONGODB_URI)).isEqualTo(URI.create("mongodb://m2:27017"));
    }

    @Test
    void setting_both_the_variable_and_its_file_is_refused() throws Exception {
        Path secret = Files.writeString(dir.resolve("uri"), "mongodb://m1:27017");
        assertThatThrownBy(() -> ConfigLoader.load(TABLE, Map.of(),
                Map.of("MONGODB_URI", "mongodb://m2:27017", "MONGODB_URI_FILE", secret.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: mongodb.uri: both environment variables MONGODB_URI and "
                        + "MONGODB_URI_FILE are set; set one of them");
    }

    @Test
    void an_unreadable_or_empty_file_names_the_key_and_the_file() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(TABLE, Map.of(),
                Map.of("REDIS_URL_FILE", dir.resolve("absent").toString())))
                .hasMessageContaining("redis.url: cannot read file " + dir.resolve("absent")
                        + " (environment variable REDIS_URL_FILE): NoSuchFileException");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ConfigLoader.load(TABLE, Map.of(), Map.of("REDIS_URL_FILE", empty.toString())))
                .hasMessageContaining("redis.url: is empty in file " + empty);
    }

    @Test
    void FILE_variables_of_app_keys_are_not_unknown_but_misspelt_ones_are() throws Exception {
        Path port = Files.writeString(dir.resolve("port"), "9000");
        assertThat(ConfigLoader.load(TABLE, Map.of(), Map.of("OPS_PORT_FILE", port.toString()))
                .get(CommonConfigKeys.OPS_PORT)).isEqualTo(9000);
        assertThatThrownBy(() -> ConfigLoader.load(TABLE, Map.of(),
                Map.of("APP_LIFECYCLE_STARTUP_TIMEOUT_FILE", port.toString())))
                .hasMessageContaining("APP_LIFECYCLE_STARTUP_TIMEOUT_FILE: unknown key");
    }

    @Test
    void a_kafka_client_file_that_overrides_the_pipeline_is_refused_when_the_config_loads() throws Exception {
        Path client = Files.writeString(dir.resolve("client.properties"), "enable.idempotence=false\n");
        assertThatThrownBy(() -> ConfigLoader.load(TABLE, Map.of(), Map.of("KAFKA_CONFIG_FILE", client.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sets enable.idempotence, which the pipeline sets itself");
    }
}
