package dev.mtp.mongowriter;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;

/** Every setting of mongo-writer, once. Rendered into README.md by ops-cli config-docs. */
public final class MongoWriterConfig {
    private MongoWriterConfig() {}

    public static final ConfigTable TABLE = ConfigTable.builder("mongo-writer")
            .addAll(CommonConfigKeys.runtime(8092))
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .addAll(CommonConfigKeys.MONGODB)
            .build();
}
