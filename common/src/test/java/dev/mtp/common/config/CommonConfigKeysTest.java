package dev.mtp.common.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommonConfigKeysTest {

    static final ConfigTable ALL = ConfigTable.builder("all").addAll(CommonConfigKeys.ALL.stream()
            .map(k -> k == CommonConfigKeys.OPS_PORT ? CommonConfigKeys.opsPort(8090) : k).toList()).build();

    @Test
    void shared_defaults() {
        Config c = ALL.resolve(ConfigSource.empty());
        assertThat(c.get(CommonConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).containsExactly(new HostPort("localhost", 9092));
        assertThat(c.get(CommonConfigKeys.REDIS_URL)).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        assertThat(c.get(CommonConfigKeys.MONGODB_URI)).isEqualTo(URI.create("mongodb://127.0.0.1:27017"));
        assertThat(c.get(CommonConfigKeys.MONGODB_DATABASE)).isEqualTo("mtp");
        assertThat(c.get(CommonConfigKeys.TOPICS_PREFIX)).isEqualTo("mtp.");
        assertThat(c.get(CommonConfigKeys.TOPICS_PARTITIONS)).isEqualTo(6);
        assertThat(c.get(CommonConfigKeys.TOPICS_REPLICATION_FACTOR)).isEqualTo(1);
        assertThat(c.get(CommonConfigKeys.TOPICS_CREATE)).isTrue();
        // unset: the profile decides (StrategyDefaults)
        assertThat(c.find(CommonConfigKeys.PERSISTENCE_DEFAULT_SESSION_STRATEGY)).isEmpty();
        assertThat(c.find(CommonConfigKeys.PERSISTENCE_DEFAULT_INTERACTION_STRATEGY)).isEmpty();
        assertThat(c.get(CommonConfigKeys.PERSISTENCE_EVALUATION_STORAGE)).isEqualTo("mongodb-only");
        assertThat(c.get(CommonConfigKeys.PERSISTENCE_CACHE_COMPRESSION)).isTrue();
        assertThat(c.get(CommonConfigKeys.SYNC_ASYNC_TIMEOUT_MS)).isEqualTo(Duration.ofMillis(2000));
        assertThat(c.get(CommonConfigKeys.SYNC_MAX_ASYNC_THREADS)).isEqualTo(10);
        assertThat(c.get(CommonConfigKeys.OPS_PORT)).isEqualTo(8090);
        assertThat(c.find(CommonConfigKeys.CONFIG_FILE)).isEmpty();
    }

    @Test
    void the_seed_configuration_block_resolves_as_written() {
        // seed guide, "Configuration": app.persistence.* and app.sync.*, flattened as the runtime flattens YAML
        Config c = ALL.resolve(ConfigSource.file("application.yaml", Map.of(
                "app.persistence.default-session-strategy", "CRITICAL_ONLY",
                "app.persistence.default-interaction-strategy", "RESPONSE_ONLY",
                "app.persistence.evaluation-storage", "mongodb-only",
                "app.persistence.cache-compression", "true",
                "app.sync.async-timeout-ms", "2000",
                "app.sync.max-async-threads", "10")));
        assertThat(c.origin(CommonConfigKeys.SYNC_MAX_ASYNC_THREADS))
                .isEqualTo("app.sync.max-async-threads in file application.yaml");
    }

    @Test
    void strategy_names_are_validated_against_the_seed_lists() {
        assertThatThrownBy(() -> ALL.resolve(ConfigSource.environment(Map.of(
                "APP_PERSISTENCE_DEFAULT_SESSION_STRATEGY", "FOO",
                "APP_PERSISTENCE_DEFAULT_INTERACTION_STRATEGY", "FULL_SESSION",
                "APP_PERSISTENCE_EVALUATION_STORAGE", "redis"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("app.persistence.default-session-strategy: 'FOO' is not one of NONE, CRITICAL_ONLY, WITH_CONTEXT, FULL_SESSION")
                .hasMessageContaining("app.persistence.default-interaction-strategy: 'FULL_SESSION' is not one of NONE, RESPONSE_ONLY, WITH_CONTEXT, FULL_INTERACTION")
                .hasMessageContaining("app.persistence.evaluation-storage: 'redis' is not one of mongodb-only");
    }

    @Test
    void shared_rules() {
        assertThatThrownBy(() -> ALL.resolve(ConfigSource.environment(Map.of(
                "MONGODB_DATABASE", "my.db", "APP_TOPICS_PREFIX", "mtp/", "APP_TOPICS_PARTITIONS", "0",
                "APP_TOPICS_CREATE", "yes", "MONGODB_URI", "mongodb://", "OPS_PORT", "-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mongodb.database: 'my.db' must be 1 to 63 characters")
                .hasMessageContaining("app.topics.prefix: 'mtp/' must use only letters")
                .hasMessageContaining("app.topics.partitions: '0' must be between 1 and 10000")
                .hasMessageContaining("app.topics.create: 'yes' is not a boolean")
                .hasMessageContaining("mongodb.uri: 'mongodb://' is not a valid URI")
                .hasMessageContaining("ops.port: '-1' must be between 0 and 65535");
    }

    @Test
    void ops_port_has_no_default_until_the_app_gives_one() {
        assertThat(CommonConfigKeys.OPS_PORT.isRequired()).isTrue();
        assertThat(CommonConfigKeys.runtime(8092)).extracting(ConfigKey::name).containsExactly(
                "app.config-file", "ops.port", "ops.health-timeout-ms", "app.lifecycle.startup-timeout-ms",
                "app.lifecycle.shutdown-timeout-ms");
        assertThat(CommonConfigKeys.runtime(8092).get(1).defaultValue().map(Object.class::cast)).contains(8092);
    }

    @Test
    void shared_keys_have_unique_names_and_environment_variables_and_a_doc_each() {
        Set<String> env = new HashSet<>();
        for (ConfigKey<?> key : CommonConfigKeys.ALL) {
            assertThat(env.add(key.envName())).as(key.name()).isTrue();
            assertThat(key.doc()).as(key.name()).isNotBlank();
        }
    }
}
