package dev.mtp.runtime.config;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigFilesTest {

    /** The seed guide's "Application Properties" block, verbatim. */
    static final String SEED_YAML = """
            app:
              persistence:
                default-session-strategy: CRITICAL_ONLY
                default-interaction-strategy: RESPONSE_ONLY
                evaluation-storage: mongodb-only
                cache-compression: true
              sync:
                async-timeout-ms: 2000
                max-async-threads: 10
            """;

    static final ConfigTable TABLE = ConfigTable.builder("ingest-api")
            .addAll(CommonConfigKeys.runtime(8090))
            .addAll(CommonConfigKeys.KAFKA)
            .add(CommonConfigKeys.REDIS_URL)
            .addAll(CommonConfigKeys.MONGODB)
            .addAll(CommonConfigKeys.PERSISTENCE)
            .addAll(CommonConfigKeys.SYNC)
            .build();

    @TempDir
    Path dir;

    @Test
    void the_seed_yaml_block_flattens_to_dotted_keys_as_written() {
        assertThat(ConfigFiles.parseYaml(SEED_YAML, "seed.yaml")).containsExactly(
                Map.entry("app.persistence.default-session-strategy", "CRITICAL_ONLY"),
                Map.entry("app.persistence.default-interaction-strategy", "RESPONSE_ONLY"),
                Map.entry("app.persistence.evaluation-storage", "mongodb-only"),
                Map.entry("app.persistence.cache-compression", "true"),
                Map.entry("app.sync.async-timeout-ms", "2000"),
                Map.entry("app.sync.max-async-threads", "10"));
    }

    @Test
    void lists_of_scalars_join_with_commas_nulls_are_unset_dotted_keys_mix_with_nested_ones() {
        Map<String, String> flat = ConfigFiles.parseYaml("""
                kafka:
                  bootstrap.servers: [k1:9092, k2:9092]
                redis.url: ~
                mongodb: {uri: "mongodb://m:27017", database: chat}
                """, "f.yaml");
        assertThat(flat).containsExactly(
                Map.entry("kafka.bootstrap.servers", "k1:9092,k2:9092"),
                Map.entry("mongodb.uri", "mongodb://m:27017"),
                Map.entry("mongodb.database", "chat"));
    }

    @Test
    void structural_problems_are_config_problems_on_app_config_file() {
        assertThatThrownBy(() -> ConfigFiles.parseYaml("a:\n  b: 1\na.b: 2\n", "f.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: app.config-file: file f.yaml sets a.b twice (once nested, once dotted)");
        assertThatThrownBy(() -> ConfigFiles.parseYaml("a: 1\na: 2\n", "f.yaml"))
                .hasMessageContaining("file f.yaml is not valid YAML at line 2").hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> ConfigFiles.parseYaml("app:\n  sync: [ {a: 1} ]\n", "f.yaml"))
                .hasMessageContaining("app.sync is a list of mappings; only lists of plain values are supported");
        assertThatThrownBy(() -> ConfigFiles.parseYaml("- a\n- b\n", "f.yaml"))
                .hasMessageContaining("must be a YAML mapping of settings, not a list");
        assertThatThrownBy(() -> ConfigFiles.parseYaml("app:\n  x: [unclosed\n", "f.yaml"))
                .hasMessageContaining("file f.yaml is not valid YAML at line");
        assertThat(ConfigFiles.parseYaml("", "empty.yaml")).isEmpty();
        assertThat(ConfigFiles.parseYaml("# only a comment\n", "c.yaml")).isEmpty();
    }

    @Test
    void properties_files() {
        assertThat(ConfigFiles.parseProperties("app.sync.async-timeout-ms = 500\n# c\nredis.url=redis://h:1\n", "p"))
                .containsExactly(Map.entry("app.sync.async-timeout-ms", "500"), Map.entry("redis.url", "redis://h:1"));
    }

    @Test
    void reading_files_by_extension() throws IOException {
        Files.writeString(dir.resolve("a.yml"), "ops:\n  port: 1\n");
        Files.writeString(dir.resolve("a.properties"), "ops.port=2\n");
        Files.writeString(dir.resolve("a.json"), "{}");
        assertThat(ConfigFiles.read(dir.resolve("a.yml"), "test")).containsEntry("ops.port", "1");
        assertThat(ConfigFiles.read(dir.resolve("a.properties"), "test")).containsEntry("ops.port", "2");
        assertThatThrownBy(() -> ConfigFiles.read(dir.resolve("a.json"), "test"))
                .hasMessageContaining("must end in .yaml, .yml or .properties (from test)");
        assertThatThrownBy(() -> ConfigFiles.read(dir.resolve("nope.yaml"), "environment variable APP_CONFIG_FILE"))
                .hasMessage("invalid configuration: app.config-file: file " + dir.resolve("nope.yaml")
                        + " does not exist (from environment variable APP_CONFIG_FILE)");
    }

    @Test
    void loader_layers_system_properties_over_environment_over_the_file_over_defaults() throws IOException {
        Path file = dir.resolve("ingest.yaml");
        Files.writeString(file, SEED_YAML.replace("max-async-threads: 10", "max-async-threads: 12")
                + "redis:\n  url: redis://file:6379\nops:\n  port: 9000\n");
        Config config = ConfigLoader.load(TABLE,
                Map.of("ops.port", "9100"),
                Map.of("APP_CONFIG_FILE", file.toString(), "OPS_PORT", "9200", "REDIS_URL", "redis://:pw@env:6379"));
        assertThat(config.get(CommonConfigKeys.OPS_PORT)).isEqualTo(9100);
        assertThat(config.get(CommonConfigKeys.REDIS_URL)).hasHost("env");
        assertThat(config.get(CommonConfigKeys.SYNC_MAX_ASYNC_THREADS)).isEqualTo(12);
        assertThat(config.origin(CommonConfigKeys.SYNC_MAX_ASYNC_THREADS))
                .isEqualTo("app.sync.max-async-threads in file " + file);
        assertThat(config.get(CommonConfigKeys.SYNC_ASYNC_TIMEOUT_MS)).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.get(CommonConfigKeys.MONGODB_DATABASE)).isEqualTo("mtp");
        assertThat(config.find(CommonConfigKeys.CONFIG_FILE)).contains(file.toString());
        assertThat(config.describe()).contains("redis.url=redis://:****@env:6379", "ops.port=9100",
                "app.config-file=" + file);
        assertThat(String.join("\n", config.describe())).doesNotContain("pw");
    }

    @Test
    void the_config_file_may_be_named_by_a_system_property() throws IOException {
        Path file = dir.resolve("x.properties");
        Files.writeString(file, "mongodb.database=chat\n");
        Config config = ConfigLoader.load(TABLE, Map.of("app.config-file", file.toString()), Map.of());
        assertThat(config.get(CommonConfigKeys.MONGODB_DATABASE)).isEqualTo("chat");
    }

    @Test
    void a_bad_file_is_reported_together_with_every_other_problem() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(TABLE, Map.of(),
                Map.of("APP_CONFIG_FILE", dir.resolve("missing.yaml").toString(), "OPS_PORT", "x",
                        "APP_SYNC_MAX_ASYNC_THRADS", "3")));
        assertThat(e.problems()).extracting(ConfigException.Problem::key)
                .containsExactly("app.config-file", "ops.port", "APP_SYNC_MAX_ASYNC_THRADS");
        assertThat(e.getMessage()).contains("did you mean APP_SYNC_MAX_ASYNC_THREADS?");
    }

    @Test
    void typos_inside_the_file_are_reported_with_the_file_name() throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, SEED_YAML.replace("persistence:", "persistance:"));
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(TABLE, Map.of(), Map.of("APP_CONFIG_FILE", file.toString())));
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems().getFirst()).hasToString(
                "app.persistance.cache-compression: unknown key (from app.persistance.cache-compression in file "
                        + file + "), did you mean app.persistence.cache-compression?");
    }
}
