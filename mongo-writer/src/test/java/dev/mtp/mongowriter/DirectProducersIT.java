package dev.mtp.mongowriter;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.WrongPartitionException;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.KafkajsProducer;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mtp.mongowriter.Harness.header;
import static org.assertj.core.api.Assertions.assertThat;

/** Producers that publish straight to Kafka instead of through the ingest (docs/producers.md). */
@RealServers
class DirectProducersIT {

    private static final Duration CAUGHT_UP = Duration.ofSeconds(60);

    @Test
    void eventsFromKafkajsWithItsDefaultPartitionerBecomeDocuments(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            RunningApp app = h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            List<EventEnvelope> events = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String session = "node-session-" + i;
                events.add(ev.created(session));
                events.add(ev.interaction(session, "node-int-" + i, "Our product offers..."));
                events.add(ev.updated(session, "paused", null, null));
                events.add(ev.evaluation(session, session, EntityType.SESSION, Map.of("satisfaction_score", 4.5)));
            }

            List<KafkajsProducer.Sent> sent = KafkajsProducer.send(ns.kafkaBootstrapServers(),
                    KafkajsProducer.Partitioner.DEFAULT, events.stream().map(e -> new KafkajsProducer.Message(
                            h.topics.forType(e.type()).name(), e.sessionId(),
                            new String(EventCodec.encode(e), StandardCharsets.UTF_8))).toList());
            h.awaitCaughtUp(CAUGHT_UP);

            for (int i = 0; i < events.size(); i++) {
                assertThat(sent.get(i).partition()).as("kafkajs put %s where the contract does", events.get(i).eventId())
                        .isEqualTo(ContractPartitioner.partitionOf(events.get(i).sessionId(), Harness.PARTITIONS));
            }
            for (int i = 0; i < 6; i++) {
                Document session = h.session("node-session-" + i);
                assertThat(session).as("node-session-" + i).isNotNull();
                assertThat(session.getString("status")).isEqualTo("paused");
                assertThat(session.getInteger("interactionCount")).isEqualTo(1);
                assertThat(h.interaction("node-int-" + i)).isNotNull();
            }
            assertThat(h.evaluations().countDocuments()).isEqualTo(6);
            assertThat(app.meterRegistry().find("mtp.consume.wrong.partition").counters())
                    .allSatisfy(c -> assertThat(c.count()).isZero()).isNotEmpty();
        }
    }

    /**
     * An update published to another partition than its session's: its offset is not comparable with the versions
     * the session's document holds (here lower, so it used to be skipped as stale without a trace).
     */
    @Test
    void anUpdateOnAnotherPartitionThanItsSessionsIsDeadLetteredAndNotApplied(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            RunningApp app = h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(ev.created("session-123"), ev.updated("session-123", "waiting", null, null),
                    ev.updated("session-123", "active", null, null));
            int right = ContractPartitioner.partitionOf("session-123", Harness.PARTITIONS);
            int wrong = (right + 1) % Harness.PARTITIONS;

            long offset = h.produceTo(wrong, ev.updated("session-123", "paused", null, null));
            h.awaitCaughtUp(CAUGHT_UP);

            ConsumerRecord<byte[], byte[]> letter = h.deadLetters(1).get(0);
            assertThat(header(letter, DeadLetterPublisher.ERROR_CLASS)).isEqualTo(WrongPartitionException.class.getName());
            assertThat(header(letter, DeadLetterPublisher.ERROR_MESSAGE)).contains(
                    "maps to partition " + right + " of " + h.topics.sessions().name(),
                    "but it is on partition " + wrong + " at offset " + offset);
            assertThat(header(letter, DeadLetterPublisher.APP)).isEqualTo("mongo-writer");
            assertThat(h.session("session-123").getString("status")).isEqualTo("active");
            assertThat(app.meterRegistry().get("mtp.consume.wrong.partition")
                    .tag("topic", h.topics.sessions().name()).counter().count()).isEqualTo(1);
            assertThat(app.meterRegistry().get("mtp.mongo.events.skipped").counter().count())
                    .as("dead-lettered, not skipped").isZero();
        }
    }
}
