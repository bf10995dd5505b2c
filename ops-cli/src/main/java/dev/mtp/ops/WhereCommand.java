package dev.mtp.ops;

import dev.mtp.common.config.Config;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** Shows where a session's events landed: topic, partition, offset, type. */
@Command(name = "where", description = "Show where one session's events landed.")
final class WhereCommand implements Callable<Integer> {

    @Option(names = "--session", required = true, description = "The session id.")
    String sessionId;

    @Override
    public Integer call() {
        Config config = OpsCli.config();
        PersistenceTopics topics = PipelineTopics.of(config);
        Map<String, Object> client = KafkaClients.common(config, "where");
        System.out.println("Kafka:");
        for (TopicDescriptor<String, EventEnvelope> topic : topics.eventTopics()) {
            for (SessionEvents.Found found : SessionEvents.find(client, topic, sessionId)) {
                EventEnvelope event = found.event();
                System.out.printf("  %s partition %d offset %d  %-22s %-14s event %s%n", found.topic(), found.partition(),
                        found.offset(), event.type().wireName(), event.entityId(), event.eventId());
            }
        }
        return 0;
    }
}
