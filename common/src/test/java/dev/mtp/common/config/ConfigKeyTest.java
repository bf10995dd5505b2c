package dev.mtp.common.config;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigKeyTest {

    enum Color { RED, GREEN }

    private static String violation(ConfigKey<?> key, String raw) {
        try {
            key.parse(raw);
        } catch (InvalidValueException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected '" + raw + "' to be rejected by " + key);
    }

    @Nested
    class Declaration {
        @Test
        void names_are_dotted_lower_case_words() {
            assertThat(ConfigKey.string("app.sync.async-mode").name()).isEqualTo("app.sync.async-mode");
            for (String bad : List.of("App.x", "app..x", "app.x.", "app_x", ".app", "app x", "app.-x")) {
                assertThatThrownBy(() -> ConfigKey.string(bad))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
            }
        }

        @Test
        void duration_keys_must_end_in_ms() {
            assertThatThrownBy(() -> ConfigKey.durationMs("app.sync.async-timeout"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end in -ms");
        }

        @Test
        void a_default_that_breaks_a_rule_is_a_declaration_error_whatever_the_order() {
            assertThatThrownBy(() -> ConfigKey.integer("app.x").range(1, 10).withDefault(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("app.x: default '0' must be between 1 and 10");
            assertThatThrownBy(() -> ConfigKey.integer("app.x").withDefault(0).range(1, 10))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("app.x: default '0' must be between 1 and 10");
        }

        @Test
        void range_applies_to_numbers_and_durations_only() {
            assertThatThrownBy(() -> ConfigKey.string("app.x").range(1, 2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("integer and duration");
            assertThat(ConfigKey.durationMs("app.x-ms").range(1, 5).constraints())
                    .isEqualTo("duration (ms), between 1 and 5 ms");
        }

        @Test
        void keys_are_immutable_each_wither_returns_a_new_key() {
            ConfigKey<Integer> base = ConfigKey.integer("ops.port").required();
            ConfigKey<Integer> withDefault = base.withDefault(8091);
            assertThat(base.isRequired()).isTrue();
            assertThat(base.defaultValue()).isEmpty();
            assertThat(withDefault.presence()).isEqualTo(ConfigKey.Presence.DEFAULTED);
            assertThat(withDefault.defaultValue()).contains(8091);
            assertThat(ConfigKey.string("app.x").presence()).isEqualTo(ConfigKey.Presence.OPTIONAL);
        }

        @Test
        void environment_variable_names_follow_one_rule() {
            assertThat(ConfigKey.envName("kafka.bootstrap.servers")).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
            assertThat(ConfigKey.envName("redis.url")).isEqualTo("REDIS_URL");
            assertThat(ConfigKey.envName("mongodb.uri")).isEqualTo("MONGODB_URI");
            assertThat(CommonConfigKeys.SYNC_ASYNC_TIMEOUT_MS.envName()).isEqualTo("APP_SYNC_ASYNC_TIMEOUT_MS");
        }
    }

    @Nested
    class Parsing {
        @Test
        void strings_are_trimmed() {
            assertThat(ConfigKey.string("app.x").parse("  a b ")).isEqualTo("a b");
        }

        @Test
        void integers() {
            ConfigKey<Integer> key = ConfigKey.integer("app.x").range(1, 65535);
            assertThat(key.parse("8091")).isEqualTo(8091);
            assertThat(violation(key, "80a")).isEqualTo("is not an integer");
            assertThat(violation(key, "99999999999")).isEqualTo("is not an integer");
            assertThat(violation(key, "0")).isEqualTo("must be between 1 and 65535");
            assertThat(violation(ConfigKey.integer("app.y").atLeast(1), "0")).isEqualTo("must be at least 1");
            assertThat(ConfigKey.longInteger("app.z").parse("99999999999")).isEqualTo(99_999_999_999L);
            assertThat(violation(ConfigKey.longInteger("app.z"), "1e3")).isEqualTo("is not an integer");
        }

        @Test
        void booleans_accept_true_or_false_in_any_case_and_nothing_else() {
            ConfigKey<Boolean> key = ConfigKey.bool("app.x");
            assertThat(key.parse("TRUE")).isTrue();
            assertThat(key.parse("false")).isFalse();
            for (String bad : List.of("yes", "1", "on", "f")) {
                assertThat(violation(key, bad)).isEqualTo("is not a boolean (true or false)");
            }
        }

        @Test
        void durations_are_whole_non_negative_milliseconds() {
            ConfigKey<Duration> key = ConfigKey.durationMs("app.x-ms").range(1, 60_000);
            assertThat(key.parse("2000")).isEqualTo(Duration.ofSeconds(2));
            assertThat(key.format(Duration.ofSeconds(2))).isEqualTo("2000");
            assertThat(violation(key, "2s")).isEqualTo("is not a duration in milliseconds (a whole number, e.g. 2000)");
            assertThat(violation(key, "-5")).isEqualTo("is not a duration in milliseconds (must not be negative)");
            assertThat(violation(key, "0")).isEqualTo("must be between 1 and 60000 ms");
        }

        @Test
        void enums_match_exact_names_and_list_the_valid_ones() {
            ConfigKey<Color> key = ConfigKey.enumOf("app.color", Color.class);
            assertThat(key.parse("GREEN")).isEqualTo(Color.GREEN);
            assertThat(key.choices()).containsExactly("RED", "GREEN");
            assertThat(violation(key, "BLUE")).isEqualTo("is not one of RED, GREEN");
            assertThat(violation(key, "green"))
                    .isEqualTo("is not one of RED, GREEN (names are case-sensitive: did you mean GREEN?)");
        }

        @Test
        void choices_match_exactly() {
            ConfigKey<String> key = ConfigKey.choice("app.storage", "mongodb-only");
            assertThat(key.parse("mongodb-only")).isEqualTo("mongodb-only");
            assertThat(violation(key, "redis")).isEqualTo("is not one of mongodb-only");
        }

        @Test
        void uris_check_scheme_and_host() {
            ConfigKey<URI> redis = ConfigKey.uri("redis.url", "redis", "rediss");
            assertThat(redis.parse("rediss://:pw@cache.example:6380/2")).hasHost("cache.example").hasPort(6380);
            assertThat(violation(redis, "http://localhost:6379")).isEqualTo("must start with redis:// or rediss://");
            assertThat(violation(redis, "localhost:6379")).isEqualTo("must start with redis:// or rediss://");
            assertThat(violation(redis, "redis://:6379")).isEqualTo("has no host (expected redis:// or rediss://host:port)");
            assertThat(violation(redis, "redis://local host")).startsWith("is not a valid URI (Illegal character in authority");

            ConfigKey<URI> mongo = ConfigKey.uri("mongodb.uri", "mongodb", "mongodb+srv");
            assertThat(mongo.parse("mongodb://u:p@h1:27017,h2:27017/mtp?replicaSet=rs0").getRawAuthority())
                    .isEqualTo("u:p@h1:27017,h2:27017");
            assertThat(mongo.parse("mongodb+srv://cluster0.example.net/").getHost()).isEqualTo("cluster0.example.net");
            assertThat(violation(mongo, "redis://x")).isEqualTo("must start with mongodb:// or mongodb+srv://");
        }

        @Test
        void host_port_lists() {
            ConfigKey<List<HostPort>> key = ConfigKey.hostPorts("kafka.bootstrap.servers");
            assertThat(key.parse("k1:9092, k2:9093,[::1]:9094"))
                    .containsExactly(new HostPort("k1", 9092), new HostPort("k2", 9093), new HostPort("::1", 9094));
            assertThat(key.format(key.parse("k1:9092,[::1]:9094"))).isEqualTo("k1:9092,[::1]:9094");
            assertThat(violation(key, "localhost")).isEqualTo("is not host:port ('localhost' should look like localhost:9092)");
            assertThat(violation(key, "k1:9092,,k2:9092")).isEqualTo("is not a comma-separated list of host:port (it has an empty entry)");
            assertThat(violation(key, "k1:http")).isEqualTo("is not host:port ('k1:http' has no numeric port)");
            assertThat(violation(key, "k1:70000")).isEqualTo("is not host:port ('k1:70000' has port 70000, not between 1 and 65535)");
            assertThat(violation(key, "PLAINTEXT://k1:9092")).startsWith("is not host:port");
        }

        @Test
        void custom_rules() {
            ConfigKey<String> key = ConfigKey.string("app.group").check("must not contain spaces", s -> !s.contains(" "));
            assertThat(violation(key, "a b")).isEqualTo("must not contain spaces");
            assertThat(key.constraints()).isEqualTo("string, must not contain spaces");
        }
    }
}
