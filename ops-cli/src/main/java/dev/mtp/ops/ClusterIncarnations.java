package dev.mtp.ops;

import dev.mtp.common.config.Config;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;

/**
 * The incarnations (topic ids) of the pipeline's topics as the cluster has them now: what the writers consume, so what
 * the stores should hold (docs/decisions/0012). Read once per command.
 */
final class ClusterIncarnations {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ClusterIncarnations() {}

    static TopicIncarnations resolve(Config config) throws InterruptedException {
        PersistenceTopics topics = PipelineTopics.of(config);
        try (Admin admin = Admin.create(KafkaClients.admin(config))) {
            return TopicIncarnations.resolve(admin, topics.eventTopics().stream().map(TopicDescriptor::name).toList(),
                    TIMEOUT);
        }
    }
}
