package dev.mtp.runtime.config;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import org.slf4j.Logger;

/**
 * Logs the effective config at start: one line per key, masked, with where each value came from, then one line per
 * Kafka client property of {@code kafka.config-file}, masked.
 */
public final class EffectiveConfigLog {

    private EffectiveConfigLog() {}

    public static void log(Logger log, Config config) {
        for (Config.Entry e : config.entries()) {
            log.atInfo()
                    .setMessage("config {}={} ({})")
                    .addArgument(e.key()).addArgument(e.value()).addArgument(e.origin())
                    .addKeyValue("key", e.key())
                    .addKeyValue("value", e.value())
                    .addKeyValue("source", e.origin())
                    .log();
        }
        KafkaClientProperties.load(config).forEach((name, value) -> {
            String shown = KafkaClientProperties.forDisplay(name, value);
            String key = CommonConfigKeys.KAFKA_CONFIG_FILE.name() + ": " + name;
            log.atInfo()
                    .setMessage("config {}={} ({})")
                    .addArgument(key).addArgument(shown).addArgument("kafka client property")
                    .addKeyValue("key", key)
                    .addKeyValue("value", shown)
                    .addKeyValue("source", config.origin(CommonConfigKeys.KAFKA_CONFIG_FILE))
                    .log();
        });
    }
}
