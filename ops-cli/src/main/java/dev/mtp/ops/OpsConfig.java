package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;

/** What ops-cli reads: the same server and topic settings as the apps (same env vars). */
final class OpsConfig {
    private OpsConfig() {}

    static final ConfigTable TABLE = ConfigTable.builder("ops-cli")
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .add(CommonConfigKeys.REDIS_URL)
            .addAll(CommonConfigKeys.MONGODB)
            .add(CommonConfigKeys.STARTUP_TIMEOUT_MS)
            .build();
}
