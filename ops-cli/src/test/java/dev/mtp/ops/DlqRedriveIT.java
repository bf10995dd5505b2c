package dev.mtp.ops;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.json.EventCodec;
import dev.mtp.documents.Fields;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dlq redrive} against the real broker and MongoDB server: documents mongo-writer refused as too large are
 * applied after the limit is raised, each at its original version (so one older than what MongoDB holds is skipped as
 * stale), what was redriven is recorded for {@code dlq list}, and a second redrive changes nothing.
 */
@RealServers
class DlqRedriveIT {

    @Test
    void redrivesRefusedDocumentsAtTheirOriginalVersionsOnceAndRecordsIt(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns, Writers.stores(ns))) {
            cli.createTopics();
            String big = "x".repeat(30_000);
            long bigOne;
            try (RunningApp writer = Writers.mongoWriter(ns, Map.of("APP_MONGO_WRITER_MAX_DOCUMENT_BYTES", "16384"))) {
                bigOne = publish(cli, created("s-big1", big));
                publish(cli, created("s-big2", big));
                publish(cli, EventEnvelope.of(UUID.randomUUID(), "s-big2", "s-big2", null, Instant.now(), "test",
                        new SessionUpdated(null, "waiting", null, null)));
                publish(cli, created("s-ok", "small"));
                awaitLetters(cli, 2);
                awaitDocument(ns, "s-ok");
            }
            Cli.Run list = cli.run("dlq", "list");
            assertThat(list.out()).containsPattern("mongo-writer\\s+DocumentRejectedException\\s+\\S+\\s+2\\s+0\\s+");

            Cli.Run dry = cli.run("dlq", "redrive", "--app", "mongo-writer", "--dry-run");
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(dry.out()).containsPattern("mongo-writer\\s+would be applied\\s+1")
                    .containsPattern("mongo-writer\\s+would be stale\\s+1").contains("dry run: nothing was written");
            assertThat(ns.mongoDatabase().getCollection(Fields.SESSIONS).find(new Document("_id", "s-big1")).first())
                    .isNull();

            Cli.Run redrive = cli.run("dlq", "redrive", "--reason", "DocumentRejectedException");
            assertThat(redrive.exitCode()).as(redrive.err()).isZero();
            assertThat(redrive.out()).containsPattern("mongo-writer\\s+redriven: applied\\s+1")
                    .containsPattern("mongo-writer\\s+redriven: stale\\s+1");
            Document applied = ns.mongoDatabase().getCollection(Fields.SESSIONS).find(new Document("_id", "s-big1"))
                    .first();
            assertThat(applied).isNotNull();
            assertThat(applied.getString(Fields.USER_ID)).isEqualTo("u-1");
            assertThat(applied.get(Fields.VERSIONS, Document.class).get("sessions", Number.class).longValue())
                    .as("the original version: the record's offset on the sessions topic").isEqualTo(bigOne);
            Document kept = ns.mongoDatabase().getCollection(Fields.SESSIONS).find(new Document("_id", "s-big2"))
                    .first();
            assertThat(kept.getString(Fields.STATUS)).isEqualTo("waiting");

            assertThat(cli.run("dlq", "list").out())
                    .containsPattern("mongo-writer\\s+DocumentRejectedException\\s+\\S+\\s+2\\s+2\\s+");
            long letters = endOffsets(cli);
            Cli.Run again = cli.run("dlq", "redrive");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).containsPattern("mongo-writer\\s+already redriven\\s+2");
            assertThat(endOffsets(cli)).isEqualTo(letters);
        }
    }

    @Test
    void badArgumentsAreOneLineNamingTheArgument(TestNamespace ns) {
        try (Cli cli = new Cli(ns)) {
            Cli.Run letter = cli.run("dlq", "redrive", "--letter", "latest");
            assertThat(letter.exitCode()).isEqualTo(2);
            assertThat(letter.errorLines()).singleElement().asString()
                    .contains("--letter 'latest' is not a partition and an offset");
            Cli.Run reconciler = cli.run("dlq", "redrive", "--app", "reconciler");
            assertThat(reconciler.exitCode()).isEqualTo(2);
            assertThat(reconciler.errorLines()).singleElement().asString().contains("--app reconciler");
            Cli.Run times = cli.run("dlq", "redrive", "--since", "1h", "--until", "2h");
            assertThat(times.exitCode()).isEqualTo(2);
        }
    }

    private static EventEnvelope created(String session, String note) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, "CRITICAL_ONLY", Instant.now(), "test",
                new SessionCreated("u-1", "active", Map.of("note", note), Map.of()));
    }

    private static long publish(Cli cli, EventEnvelope event) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = cli.producer()) {
            return producer.send(new ProducerRecord<>(cli.topics.sessions().name(),
                    event.sessionId().getBytes(StandardCharsets.UTF_8), EventCodec.encode(event))).get().offset();
        }
    }

    private static long endOffsets(Cli cli) throws Exception {
        String dlq = cli.topics.deadLetter().name();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 2; p++) {
            latest.put(new TopicPartition(dlq, p), OffsetSpec.latest());
        }
        return cli.ns.admin().listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    private static void awaitLetters(Cli cli, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (endOffsets(cli) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("mongo-writer did not dead-letter " + n + " records within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private static void awaitDocument(TestNamespace ns, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ns.mongoDatabase().getCollection(Fields.SESSIONS).find(new Document("_id", id)).first() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("mongo-writer did not write " + id + " within 60 s");
            }
            Thread.sleep(200);
        }
    }
}
