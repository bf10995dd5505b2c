package dev.mtp.reconciler;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;

/** Every setting of shadow-reconciler, once. Rendered into README.md by ops-cli config-docs. */
public final class ShadowReconcilerConfig {
    private ShadowReconcilerConfig() {}

    public static final ConfigTable TABLE = ConfigTable.builder("shadow-reconciler")
            .addAll(CommonConfigKeys.runtime(8093))
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .add(CommonConfigKeys.REDIS_URL)
            .addAll(CommonConfigKeys.MONGODB)
            .build();
}
