package dev.mtp.common.config;

/**
 * The consumer groups of the writers, derived from the configuration the way each app derives its own, so that ops
 * tooling finds them without the apps' code. (The reconciler's group is its Kafka Streams application id.)
 */
public final class ConsumerGroups {
    private ConsumerGroups() {}

    /** cache-writer's group: {@code <app.topics.prefix>cache-writer}. */
    public static String cacheWriter(String topicPrefix) {
        return topicPrefix + "cache-writer";
    }

    public static String cacheWriter(Config config) {
        return cacheWriter(config.get(CommonConfigKeys.TOPICS_PREFIX));
    }

    /** mongo-writer's group: {@code app.mongo-writer.group-id}. */
    public static String mongoWriter(Config config) {
        return config.get(CommonConfigKeys.MONGO_WRITER_GROUP_ID);
    }
}
