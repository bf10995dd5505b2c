package dev.mtp.common.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingTest {

    @Test
    void masks_passwords_in_redis_and_mongodb_uris() {
        assertThat(Masking.maskUris("redis://:s3cret@cache:6379/0")).isEqualTo("redis://:****@cache:6379/0");
        assertThat(Masking.maskUris("rediss://default:s3cret@cache:6380")).isEqualTo("rediss://default:****@cache:6380");
        assertThat(Masking.maskUris("mongodb://app:s3cret@h1:27017,h2:27017/mtp?replicaSet=rs0"))
                .isEqualTo("mongodb://app:****@h1:27017,h2:27017/mtp?replicaSet=rs0");
        assertThat(Masking.maskUris("mongodb+srv://app:s3cret@cluster0.example.net/"))
                .isEqualTo("mongodb+srv://app:****@cluster0.example.net/");
    }

    @Test
    void a_user_info_without_colon_is_masked_whole_since_redis_reads_it_as_a_password() {
        assertThat(Masking.maskUris("redis://s3cret@cache:6379")).isEqualTo("redis://****@cache:6379");
    }

    @Test
    void unencoded_special_characters_in_a_password_do_not_leak_any_part_of_it() {
        assertThat(Masking.maskUris("redis://:p@ss#w?rd@cache:6379")).isEqualTo("redis://:****@cache:6379");
    }

    @Test
    void masks_password_like_query_parameters() {
        assertThat(Masking.maskUris("mongodb://h/db?authSource=admin&password=x1&tlsCertificateKeyFilePassword=x2"))
                .isEqualTo("mongodb://h/db?authSource=admin&password=****&tlsCertificateKeyFilePassword=****");
    }

    @Test
    void leaves_values_without_credentials_alone() {
        assertThat(Masking.maskUris("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(Masking.maskUris("localhost:9092")).isEqualTo("localhost:9092");
        assertThat(Masking.maskUris("an @ sign")).isEqualTo("an @ sign");
        assertThat(Masking.maskUris(null)).isNull();
    }

    @Test
    void secret_keys_are_masked_whole() {
        ConfigKey<String> secret = ConfigKey.string("app.token").secret();
        assertThat(Masking.forDisplay(secret, "abc")).isEqualTo("****");
        assertThat(Masking.forDisplay(secret, "")).isEmpty();
        assertThat(Masking.forDisplay(ConfigKey.string("app.x"), "redis://:pw@h")).isEqualTo("redis://:****@h");
    }
}
