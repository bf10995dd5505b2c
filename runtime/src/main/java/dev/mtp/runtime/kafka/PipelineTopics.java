package dev.mtp.runtime.kafka;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.runtime.AppContext;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The pipeline's topics as configured ({@code app.topics.*}), made usable: every app that produces or
 * consumes them calls {@link #ensure(AppContext)} at start, and {@code ./mtp up} does the same through ops-cli.
 */
public final class PipelineTopics {
    private PipelineTopics() {}

    public static PersistenceTopics of(Config config) {
        return PersistenceTopics.withPrefix(config.get(CommonConfigKeys.TOPICS_PREFIX));
    }

    /** The four topics with the partitions, replication factor and retention of {@code app.topics.*}. */
    public static List<TopicSpec> specs(Config config) {
        PersistenceTopics topics = of(config);
        return Stream.concat(topics.eventTopics().stream().map(t -> Map.entry(t.name(), t.role())),
                        Stream.of(Map.entry(topics.deadLetter().name(), topics.deadLetter().role())))
                .map(t -> TopicSpec.of(t.getKey(), config)
                        .withRetention(config.get(CommonConfigKeys.retention(t.getValue()))))
                .toList();
    }

    /**
     * Opens an admin client for the app, waits for Kafka to answer, registers Kafka's readiness check,
     * creates or checks the topics, waits until each partition is writable and resolves each topic's incarnation.
     */
    public static ProvisionedTopics ensure(AppContext ctx) throws InterruptedException {
        Admin admin = ctx.open("kafka-admin", Admin.create(KafkaClients.admin(ctx.config())));
        KafkaHealthCheck kafka = new KafkaHealthCheck(admin, ctx.get(CommonConfigKeys.OPS_HEALTH_TIMEOUT_MS));
        ctx.awaitHealthy(kafka);
        ctx.addHealthCheck(kafka);
        ensure(admin, ctx.config(), ctx.startupTimeout());
        PersistenceTopics names = of(ctx.config());
        return new ProvisionedTopics(names, TopicIncarnations.resolve(admin, names.allNames(), ctx.startupTimeout()));
    }

    public static void ensure(Admin admin, Config config, Duration timeout) throws InterruptedException {
        new TopicProvisioner(admin).ensure(specs(config), config.get(CommonConfigKeys.TOPICS_CREATE), timeout);
    }
}
