package dev.mtp.runtime.kafka;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigSource;
import dev.mtp.common.config.ConfigTable;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineTopicsTest {

    private static Config config(Map<String, String> env) {
        return ConfigTable.builder("ingest-api").addAll(CommonConfigKeys.TOPICS).build()
                .resolve(ConfigSource.environment(env));
    }

    private static Map<String, String> retentionByTopic(Config config) {
        return PipelineTopics.specs(config).stream()
                .collect(Collectors.toMap(TopicSpec::name, s -> s.configs().get("retention.ms")));
    }

    @Test
    void each_topic_is_created_with_the_retention_that_suits_its_use() {
        assertThat(retentionByTopic(config(Map.of()))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mtp.sessions.v1", "604800000", "mtp.interactions.v1", "604800000",
                "mtp.evaluations.v1", "7776000000", "mtp.deadletter.v1", "2592000000"));
    }

    @Test
    void zero_keeps_a_topic_forever_and_each_role_has_its_own_key() {
        assertThat(retentionByTopic(config(Map.of("APP_TOPICS_EVALUATIONS_RETENTION_MS", "0",
                "APP_TOPICS_SESSIONS_RETENTION_MS", "86400000", "APP_TOPICS_PREFIX", "x."))))
                .containsEntry("x.evaluations.v1", "-1").containsEntry("x.sessions.v1", "86400000")
                .containsEntry("x.interactions.v1", "604800000");
    }

    @Test
    void a_retention_shorter_than_an_hour_is_refused_naming_the_key() {
        assertThatThrownBy(() -> config(Map.of("APP_TOPICS_DEADLETTER_RETENTION_MS", "60000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("app.topics.deadletter.retention-ms")
                .hasMessageContaining("must be 0 (forever) or at least 3600000 ms (1 hour)");
    }

    @Test
    void a_spec_without_configs_keeps_the_broker_defaults() {
        assertThat(new TopicSpec("t", 1, (short) 1).configs()).isEmpty();
        assertThat(new TopicSpec("t", 1, (short) 1).withRetention(java.time.Duration.ofHours(2)).configs())
                .containsExactly(Map.entry("retention.ms", "7200000"));
    }
}
