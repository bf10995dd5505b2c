package dev.mtp.common.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigTableTest {

    static final ConfigKey<Integer> BATCH = ConfigKey.integer("app.writer.batch-size").range(1, 10_000)
            .withDefault(500).withDoc("Records per flush.");
    static final ConfigKey<String> GROUP = ConfigKey.string("app.writer.group-id").required()
            .withDoc("Consumer group id.");
    static final ConfigKey<String> TOKEN = ConfigKey.string("app.writer.token").secret().withDoc("API token.");

    static final ConfigTable TABLE = ConfigTable.builder("writer")
            .add(CommonConfigKeys.KAFKA_BOOTSTRAP_SERVERS, CommonConfigKeys.REDIS_URL, CommonConfigKeys.opsPort(8091))
            .add(CommonConfigKeys.PERSISTENCE_DEFAULT_SESSION_STRATEGY, CommonConfigKeys.SYNC_ASYNC_TIMEOUT_MS)
            .add(BATCH, GROUP, TOKEN)
            .build();

    private static ConfigSource env(Map<String, String> env) {
        return ConfigSource.environment(env);
    }

    private static ConfigException problems(ConfigSource source) {
        return catchThrowableOfType(ConfigException.class, () -> TABLE.resolve(source));
    }

    @Test
    void defaults_apply_when_no_source_sets_a_key() {
        Config config = TABLE.resolve(env(Map.of("APP_WRITER_GROUP_ID", "g1")));
        assertThat(config.get(CommonConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).containsExactly(new HostPort("localhost", 9092));
        assertThat(config.get(CommonConfigKeys.REDIS_URL)).isEqualTo(URI.create("redis://127.0.0.1:6379"));
        assertThat(config.get(CommonConfigKeys.SYNC_ASYNC_TIMEOUT_MS)).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.get(BATCH)).isEqualTo(500);
        assertThat(config.origin(BATCH)).isEqualTo("default");
        assertThat(config.get(GROUP)).isEqualTo("g1");
        assertThat(config.origin(GROUP)).isEqualTo("environment variable APP_WRITER_GROUP_ID");
    }

    @Test
    void shared_key_is_read_with_the_shared_constant_even_when_the_app_changed_its_default() {
        Config config = TABLE.resolve(env(Map.of("APP_WRITER_GROUP_ID", "g1")));
        assertThat(config.get(CommonConfigKeys.OPS_PORT)).isEqualTo(8091);
    }

    @Test
    void system_properties_beat_environment_beat_file_beat_default() {
        ConfigSource source = ConfigSource.layered(
                ConfigSource.systemProperties(Map.of("app.writer.batch-size", "1")),
                env(Map.of("APP_WRITER_BATCH_SIZE", "2", "APP_WRITER_GROUP_ID", "from-env")),
                ConfigSource.file("/etc/writer.yaml", Map.of("app.writer.batch-size", "3",
                        "app.writer.group-id", "from-file", "redis.url", "redis://file-host:6379")));
        Config config = TABLE.resolve(source);
        assertThat(config.get(BATCH)).isEqualTo(1);
        assertThat(config.origin(BATCH)).isEqualTo("system property app.writer.batch-size");
        assertThat(config.get(GROUP)).isEqualTo("from-env");
        assertThat(config.get(CommonConfigKeys.REDIS_URL)).hasHost("file-host");
        assertThat(config.origin(CommonConfigKeys.REDIS_URL)).isEqualTo("redis.url in file /etc/writer.yaml");
        assertThat(config.get(CommonConfigKeys.SYNC_ASYNC_TIMEOUT_MS)).isEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void a_blank_value_counts_as_unset_and_falls_through_to_the_next_layer() {
        ConfigSource source = ConfigSource.layered(
                env(Map.of("APP_WRITER_BATCH_SIZE", "  ", "APP_WRITER_GROUP_ID", "g")),
                ConfigSource.file("f.yaml", Map.of("app.writer.batch-size", "7")));
        assertThat(TABLE.resolve(source).get(BATCH)).isEqualTo(7);
    }

    @Test
    void every_problem_is_reported_at_once_with_key_rule_and_origin() {
        ConfigException e = problems(ConfigSource.layered(
                ConfigSource.systemProperties(Map.of("ops.port", "70000")),
                env(Map.of(
                        "APP_PERSISTENCE_DEFAULT_SESSION_STRATEGY", "FOO",
                        "APP_SYNC_ASYNC_TIMEOUT_MS", "2s",
                        "REDIS_URL", "http://:pw@localhost:6379",
                        "KAFKA_BOOTSTRAP_SERVERS", "localhost"))));
        assertThat(e.problems()).extracting(ConfigException.Problem::toString).containsExactly(
                "kafka.bootstrap.servers: 'localhost' is not host:port ('localhost' should look like localhost:9092)"
                        + " (from environment variable KAFKA_BOOTSTRAP_SERVERS)",
                "redis.url: 'http://:****@localhost:6379' must start with redis:// or rediss://"
                        + " (from environment variable REDIS_URL)",
                "ops.port: '70000' must be between 0 and 65535 (from system property ops.port)",
                "app.persistence.default-session-strategy: 'FOO' is not one of NONE, CRITICAL_ONLY, WITH_CONTEXT,"
                        + " FULL_SESSION (from environment variable APP_PERSISTENCE_DEFAULT_SESSION_STRATEGY)",
                "app.sync.async-timeout-ms: '2s' is not a duration in milliseconds (a whole number, e.g. 2000)"
                        + " (from environment variable APP_SYNC_ASYNC_TIMEOUT_MS)",
                "app.writer.group-id: is required but not set (environment variable APP_WRITER_GROUP_ID,"
                        + " system property -Dapp.writer.group-id or config file key app.writer.group-id)");
        assertThat(e.getMessage()).startsWith("invalid configuration (6 problems): kafka.bootstrap.servers: ")
                .doesNotContain("\n").doesNotContain("pw");
    }

    @Test
    void a_secret_value_is_never_echoed_in_a_problem() {
        ConfigKey<Integer> pin = ConfigKey.integer("app.pin").secret();
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigTable.of("x", pin).resolve(env(Map.of("APP_PIN", "12ab"))));
        assertThat(e.getMessage()).isEqualTo(
                "invalid configuration: app.pin: '****' is not an integer (from environment variable APP_PIN)");
    }

    @Test
    void unknown_keys_under_the_apps_prefixes_are_reported_with_a_suggestion() {
        ConfigException e = problems(ConfigSource.layered(
                ConfigSource.systemProperties(Map.of("app.writer.batch-sise", "5", "java.version", "21",
                        "user.home", "/root")),
                env(Map.of("APP_WRITER_GROUP_ID", "g", "APP_PERSISTANCE_DEFAULT_SESSION_STRATEGY", "NONE",
                        "REDIS_PORT", "tcp://10.0.0.9:6379", "PATH", "/bin")),
                ConfigSource.file("/etc/w.yaml", Map.of("redis.ulr", "redis://x", "zzz", "1"))));
        assertThat(e.problems()).extracting(ConfigException.Problem::toString).containsExactly(
                "app.writer.batch-sise: unknown key (from system property app.writer.batch-sise),"
                        + " did you mean app.writer.batch-size?",
                "APP_PERSISTANCE_DEFAULT_SESSION_STRATEGY: unknown key (from environment variable"
                        + " APP_PERSISTANCE_DEFAULT_SESSION_STRATEGY), did you mean APP_PERSISTENCE_DEFAULT_SESSION_STRATEGY?",
                "redis.ulr: unknown key (from redis.ulr in file /etc/w.yaml), did you mean redis.url?",
                "zzz: unknown key (from zzz in file /etc/w.yaml)");
    }

    @Test
    void keys_of_other_apps_of_the_pipeline_are_tolerated_so_one_file_can_serve_all() {
        Config config = TABLE.resolve(ConfigSource.layered(
                env(Map.of("APP_WRITER_GROUP_ID", "g", "APP_CONFIG_FILE", "/etc/mtp.yaml")),
                ConfigSource.file("/etc/mtp.yaml", Map.of("mongodb.uri", "mongodb://m:27017",
                        "app.persistence.evaluation-storage", "mongodb-only", "app.topics.partitions", "12"))));
        assertThat(config.get(GROUP)).isEqualTo("g");
    }

    @Test
    void own_prefixes_can_be_widened() {
        ConfigTable strict = ConfigTable.builder("x").add(CommonConfigKeys.REDIS_URL).ownPrefixes("app.", "redis.").build();
        assertThatThrownBy(() -> strict.resolve(ConfigSource.systemProperties(Map.of("redis.uri", "redis://h"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.uri: unknown key (from system property redis.uri), did you mean redis.url?");
        assertThatThrownBy(() -> ConfigTable.builder("x").ownPrefixes("app"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_key_declared_twice_or_two_keys_with_one_environment_variable_are_programming_errors() {
        assertThatThrownBy(() -> ConfigTable.of("x", BATCH, BATCH))
                .hasMessage("x: key app.writer.batch-size is declared twice");
        assertThatThrownBy(() -> ConfigTable.of("x", ConfigKey.string("app.a-b"), ConfigKey.string("app.a.b")))
                .hasMessage("x: keys app.a-b and app.a.b both map to environment variable APP_A_B");
        assertThatThrownBy(() -> ConfigTable.of("x", ConfigKey.string("app.a"), ConfigKey.string("app.a-file")))
                .hasMessage("x: keys app.a and app.a-file clash: one's environment variable is the other's _FILE "
                        + "variable");
        assertThatThrownBy(() -> ConfigTable.of("x", ConfigKey.string("app.a.file"), ConfigKey.string("app.a")))
                .hasMessage("x: keys app.a.file and app.a clash: one's environment variable is the other's _FILE "
                        + "variable");
    }

    @Test
    void the_environment_accepts_the_FILE_variable_of_a_known_key_only() {
        ConfigTable table = ConfigTable.of("x", BATCH);
        assertThat(ConfigSource.environment(Map.of("APP_WRITER_BATCH_SIZE_FILE", "/run/secrets/batch",
                "APP_WRITER_BATCH_FILE", "/x")).unknownEntries(table.ownPrefixes(), List.of(BATCH.name())))
                .extracting(ConfigSource.Unknown::name).containsExactly("APP_WRITER_BATCH_FILE");
    }

    @Test
    void reading_an_undeclared_key_or_an_unset_optional_one_with_get_fails_clearly() {
        Config config = TABLE.resolve(env(Map.of("APP_WRITER_GROUP_ID", "g")));
        assertThatThrownBy(() -> config.get(CommonConfigKeys.MONGODB_URI))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mongodb.uri (mongodb:// or mongodb+srv:// URI) is not a key of writer's config table");
        assertThat(config.find(TOKEN)).isEmpty();
        assertThat(config.origin(TOKEN)).isEqualTo("unset");
        assertThatThrownBy(() -> config.get(TOKEN)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Config.find");
    }

    @Test
    void describe_lists_every_key_in_table_order_with_secrets_and_uri_passwords_masked() {
        Config config = TABLE.resolve(env(Map.of("APP_WRITER_GROUP_ID", "g", "APP_WRITER_TOKEN", "t0k3n",
                "REDIS_URL", "redis://:pw@cache:6379", "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092")));
        assertThat(config.describe()).containsExactly(
                "kafka.bootstrap.servers=k1:9092,k2:9092",
                "redis.url=redis://:****@cache:6379",
                "ops.port=8091",
                "app.persistence.default-session-strategy=", // unset: the profile decides
                "app.sync.async-timeout-ms=2000",
                "app.writer.batch-size=500",
                "app.writer.group-id=g",
                "app.writer.token=****");
        assertThat(config.entries().get(1).origin()).isEqualTo("environment variable REDIS_URL");
        assertThat(config.toString()).doesNotContain("pw").doesNotContain("t0k3n");
    }

    @Test
    void describe_output_parses_back_to_the_same_config() {
        Config config = TABLE.resolve(env(Map.of("APP_WRITER_GROUP_ID", "g", "APP_SYNC_ASYNC_TIMEOUT_MS", "750")));
        Map<String, String> lines = new java.util.HashMap<>();
        config.entries().forEach(e -> lines.put(e.key(), e.value()));
        Config again = TABLE.resolve(ConfigSource.of("describe", lines));
        assertThat(again.describe()).isEqualTo(config.describe());
    }

    @Test
    void markdown_renders_key_env_default_and_doc() {
        ConfigTable table = ConfigTable.of("writer", CommonConfigKeys.opsPort(8091), BATCH, GROUP, TOKEN,
                ConfigKey.string("app.writer.sep").withDefault("a|b").withDoc("Pipe | separated"),
                CommonConfigKeys.PERSISTENCE_EVALUATION_STORAGE);
        assertThat(table.markdown()).isEqualTo("""
                | Key | Environment variable | Default | Description |
                |---|---|---|---|
                | `ops.port` | `OPS_PORT` | `8091` | Port of the ops HTTP server (/health/live, /health/ready, /metrics); 0 = any free port. (integer, between 0 and 65535) |
                | `app.writer.batch-size` | `APP_WRITER_BATCH_SIZE` | `500` | Records per flush. (integer, between 1 and 10000) |
                | `app.writer.group-id` | `APP_WRITER_GROUP_ID` | *required* | Consumer group id. (string) |
                | `app.writer.token` | `APP_WRITER_TOKEN` | *unset* | API token. (string; secret, masked in logs) |
                | `app.writer.sep` | `APP_WRITER_SEP` | `a\\|b` | Pipe \\| separated. (string) |
                | `app.persistence.evaluation-storage` | `APP_PERSISTENCE_EVALUATION_STORAGE` | `mongodb-only` | Where evaluations are stored; mongodb-only is the only supported value (evaluations are never cached in Redis). (one of mongodb-only) |
                """);
    }

    @Test
    void table_lookup() {
        assertThat(TABLE.keys()).hasSize(8);
        assertThat(TABLE.key("app.writer.batch-size")).containsSame(BATCH);
        assertThat(TABLE.contains(CommonConfigKeys.OPS_PORT)).isTrue();
        assertThat(TABLE.contains(CommonConfigKeys.MONGODB_URI)).isFalse();
        assertThat(TABLE.ownPrefixes()).containsExactly("app.");
        assertThat(TABLE.appName()).isEqualTo("writer");
        assertThat(List.copyOf(TABLE.keys())).first().isSameAs(CommonConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    }
}
