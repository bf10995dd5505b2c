package dev.mtp.mongowriter;

import dev.mtp.mongowriter.store.DocumentRejectedException;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Poison, refused documents and a MongoDB outage: the partition keeps moving, nothing is lost, nothing spins. */
@RealServers
class FailuresIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    /** MongoDB down for 30 s; -Dmtp.it.mongo-down-seconds=5 for a quicker local run. */
    private static final int DOWN_SECONDS = Integer.getInteger("mtp.it.mongo-down-seconds", 30);

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWithReasonsAndThePartitionKeepsMoving(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            String sessions = h.topics.sessions().name();
            h.produceRaw(sessions, "s-poison", "{not json".getBytes(StandardCharsets.UTF_8));
            h.produceRaw(sessions, "s-poison", "{\"type\":\"session.exploded\"}".getBytes(StandardCharsets.UTF_8));
            h.produce(ev.created("s-poison"));
            h.awaitCaughtUp(CATCH_UP);

            assertThat(h.session("s-poison").getString("status")).isEqualTo("active");
            List<ConsumerRecord<byte[], byte[]>> letters = h.deadLetters(2);
            assertThat(letters).extracting(r -> Harness.header(r, DeadLetterPublisher.ERROR_MESSAGE))
                    .anySatisfy(m -> assertThat(m).startsWith("not a JSON event"))
                    .anySatisfy(m -> assertThat(m).contains("session.exploded"));
            assertThat(letters).allSatisfy(r -> {
                assertThat(Harness.header(r, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo(sessions);
                assertThat(Harness.header(r, DeadLetterPublisher.APP)).isEqualTo("mongo-writer");
            });
        }
    }

    /**
     * MongoDB stores documents up to 16 MiB, more than a Kafka record may carry by default; the writer's limit is a
     * setting, lowered here so that an ordinary record exceeds it. The same path takes a 17 MB record where the
     * topics (and the dead-letter producer) allow records that large.
     */
    @Test
    void aDocumentTooLargeForTheStoreIsDeadLetteredAndTheRestOfTheBatchLands(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(ev.created("s-big"), ev.interaction("s-big", "i-before", "fine"),
                    ev.interaction("s-big", "i-huge", "x".repeat(100_000)),
                    ev.interaction("s-big", "i-after", "fine too"));
            h.start(Map.of("APP_MONGO_WRITER_MAX_DOCUMENT_BYTES", "65536"));
            h.awaitCaughtUp(CATCH_UP);

            assertThat(h.interaction("i-before")).isNotNull();
            assertThat(h.interaction("i-after")).isNotNull();
            assertThat(h.interaction("i-huge")).isNull();
            assertThat(h.session("s-big").getInteger("interactionCount")).isEqualTo(2);
            ConsumerRecord<byte[], byte[]> letter = h.deadLetters(1).get(0);
            assertThat(Harness.header(letter, DeadLetterPublisher.ERROR_CLASS)).isEqualTo(DocumentRejectedException.class.getName());
            assertThat(Harness.header(letter, DeadLetterPublisher.ERROR_MESSAGE)).contains("i-huge", "stores at most 65536");
            assertThat(Harness.header(letter, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo(h.topics.interactions().name());
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("s-big");
        }
    }

    @Test
    void mongoDbDownForAWhileTheWriterCommitsNothingWaitsWithoutSpinningAndCatchesUp(TestNamespace ns) throws Exception {
        URI server = URI.create(ns.mongoUri());
        try (Harness h = new Harness(ns); TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort())) {
            RunningApp app = h.start("mongodb://127.0.0.1:" + proxy.port(), ns.mongoDatabaseName(),
                    Map.of("APP_CONSUME_RETRY_INITIAL_MS", "200", "APP_CONSUME_RETRY_MAX_MS", "5000"));
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(InvariantsIT.workload(ev, 3));
            h.awaitCaughtUp(CATCH_UP);
            long committedBefore = h.committedTotal();

            proxy.cut();
            List<String> sessionsDuringOutage = new ArrayList<>();
            List<dev.mtp.common.event.EventEnvelope> during = new ArrayList<>();
            for (int s = 0; s < 20; s++) {
                sessionsDuringOutage.add("down-" + s);
                during.add(ev.created("down-" + s));
                during.add(ev.interaction("down-" + s, "down-" + s + "-i", "written after the outage"));
            }
            h.produce(during);
            long deadline = System.nanoTime() + Duration.ofSeconds(DOWN_SECONDS).toNanos();
            boolean sawNotReady = false;
            while (System.nanoTime() < deadline) {
                assertThat(h.committedTotal()).as("offsets committed while MongoDB is down").isEqualTo(committedBefore);
                sawNotReady |= !app.readiness().up();
                Thread.sleep(250);
            }
            double retries = counter(app.meterRegistry(), "mtp.consume.retries");
            assertThat(sawNotReady).as("readiness reports the writer waiting for the store").isTrue();
            assertThat(retries).as("retries during a %d s outage (backoff, no spin)", DOWN_SECONDS)
                    .isBetween(1.0, 3.0 + DOWN_SECONDS / 2.0);

            proxy.restore();
            h.awaitCaughtUp(CATCH_UP);
            for (String id : sessionsDuringOutage) {
                assertThat(h.session(id).getInteger("interactionCount")).as(id).isEqualTo(1);
            }
            await().untilAsserted(() -> assertThat(app.readiness().up()).isTrue());
            MeterRegistry meters = app.meterRegistry();
            assertThat(counter(meters, "mtp.consume.events")).isEqualTo(InvariantsIT.workload(new Events.Clocked(), 3).size() + 40.0);
            assertThat(meters.find("mtp.consume.batch.size").summary()).isNotNull();
            assertThat(meters.find("mtp.mongo.bulk.latency").timers()).isNotEmpty();
            assertThat(meters.find("mtp.consume.dead.lettered").counter()).isNotNull();
            assertThat(Optional.ofNullable(meters.find("kafka.consumer.fetch.manager.records.lag.max").gauge()))
                    .as("consumer lag").isPresent();
        }
    }

    private static double counter(MeterRegistry registry, String name) {
        Counter counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
