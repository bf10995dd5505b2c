package dev.mtp.ops;

import com.mongodb.client.MongoDatabase;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.documents.Fields;
import dev.mtp.ops.imports.ImportPublisher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code import} against the real broker and MongoDB server: an old system's records, mapped and checked as the
 * ingest checks them, published once however often the import runs, resumed after a stop, verified against what
 * mongo-writer stored.
 */
@RealServers
class ImportIT {

    private static final int SESSIONS = 30;
    private static final int INTERACTIONS = 60;
    private static final int EVALUATIONS = 20;

    /** The old system's records: its own field names and nesting, and three it must refuse. */
    private static void writeOldSystem(Path dir) throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add("{\"id\":\"old-s-" + i + "\",\"owner\":{\"id\":\"u-" + i % 7 + "\"},\"state\":\"closed\","
                    + "\"ctx\":{\"plan\":\"pro\",\"seats\":" + i + "},\"created\":\"2025-06-01T10:00:00Z\","
                    + "\"legacyOnly\":true}");
        }
        sessions.add("{\"id\":\"old-s-bad\",\"state\":\"closed\"}");
        sessions.add("{\"id\":\"old-s-dot\",\"owner\":{\"id\":\"u-1\"},\"ctx\":{\"a.b\":1}}");
        sessions.add("not json at all");
        sessions.add("");
        Files.write(dir.resolve("sessions.jsonl"), sessions);
        List<String> interactions = new ArrayList<>();
        for (int i = 0; i < INTERACTIONS; i++) {
            interactions.add("{\"turn\":\"old-i-" + i + "\",\"session\":\"old-s-" + i % SESSIONS + "\","
                    + "\"role\":\"assistant\",\"q\":\"question " + i + "\",\"a\":\"answer " + i + "\","
                    + "\"took\":" + (100 + i) + ",\"at\":" + (1_748_772_000_000L + i * 1000L) + "}");
        }
        Files.write(dir.resolve("interactions.jsonl"), interactions);
        List<String> evaluations = new ArrayList<>();
        for (int i = 0; i < EVALUATIONS; i++) {
            evaluations.add("{\"of\":\"old-s-" + i + "\",\"kind\":\"session\",\"scores\":{\"csat\":" + (i % 5 + 1)
                    + ",\"topics\":[\"billing\"]}}");
        }
        Files.write(dir.resolve("evaluations.jsonl"), evaluations);
        Files.writeString(dir.resolve("mapping.json"), """
                {"sessions": {"sessionId": "id", "userId": "owner.id", "status": "state", "context": "ctx",
                              "occurredAt": "created"},
                 "interactions": {"interactionId": "turn", "sessionId": "session", "request": "q", "response": "a",
                                  "processingTimeMs": "took", "occurredAt": "at"},
                 "evaluations": {"entityId": "of", "entityType": "kind", "evaluationData": "scores"}}
                """);
    }

    private static String[] importArgs(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("import",
                "--sessions", dir.resolve("sessions.jsonl").toString(),
                "--interactions", dir.resolve("interactions.jsonl").toString(),
                "--evaluations", dir.resolve("evaluations.jsonl").toString(),
                "--mapping", dir.resolve("mapping.json").toString(),
                "--session-strategy", "NONE", "--interaction-strategy", "RESPONSE_ONLY",
                "--work-dir", dir.resolve("work").toString(), "--rate", "0"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void importsOnceResumesAfterAStopRefusesWithReasonsAndVerifiesWhatLanded(TestNamespace ns, @TempDir Path dir)
            throws Exception {
        writeOldSystem(dir);
        try (Cli cli = new Cli(ns, Writers.stores(ns))) {
            cli.createTopics();

            Cli.Run dry = cli.run(importArgs(dir, "--dry-run"));
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(dry.out()).containsPattern("sessions\\s+33\\s+30\\s+0\\s+3")
                    .containsPattern("interactions\\s+60\\s+60\\s+0\\s+0")
                    .containsPattern("evaluations\\s+20\\s+20\\s+0\\s+0")
                    .contains("would refuse sessions.jsonl:31: userId: is required")
                    .contains("would refuse sessions.jsonl:32: context[\"a.b\"]: keys must not contain '.'")
                    .contains("would refuse sessions.jsonl:33: (record): not a JSON object")
                    .contains("dry run: nothing was published or written");
            assertThat(events(cli)).isEmpty();
            assertThat(dir.resolve("work")).doesNotExist();

            Cli.Run first = cli.run(importArgs(dir, "--limit", "40"));
            assertThat(first.exitCode()).as(first.err()).isEqualTo(4);
            assertThat(first.out()).contains("stopped (limit): run the same command again to resume");
            Cli.Run second = cli.run(importArgs(dir));
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).containsPattern("sessions\\s+33\\s+30\\s+0\\s+3")
                    .containsPattern("interactions\\s+60\\s+60\\s+0\\s+0")
                    .containsPattern("evaluations\\s+20\\s+20\\s+0\\s+0")
                    .contains("3 records refused, each with its reason, in " + dir.resolve("work/rejects.jsonl"));
            List<String> rejects = Files.readAllLines(dir.resolve("work/rejects.jsonl"));
            assertThat(rejects).hasSize(3);
            assertThat(rejects.get(0)).contains("\"where\":\"sessions.jsonl:31\"", "\"reason\":\"userId: is required\"",
                    "old-s-bad");

            List<ConsumerRecord<byte[], byte[]>> published = events(cli);
            assertThat(published).hasSize(SESSIONS + INTERACTIONS + EVALUATIONS);
            assertThat(published.stream().map(r -> EventCodec.decode(r.value()).eventId()).distinct())
                    .hasSize(published.size());
            assertThat(published).allSatisfy(r -> assertThat(r.headers()
                    .lastHeader(ImportPublisher.EVENT_ID_HEADER)).isNotNull());
            EventEnvelope interaction = published.stream().map(r -> EventCodec.decode(r.value()))
                    .filter(e -> e.entityId().equals("old-i-7")).findFirst().orElseThrow();
            assertThat(interaction.sessionId()).isEqualTo("old-s-7");
            assertThat(interaction.cacheStrategy()).isEqualTo("RESPONSE_ONLY");
            assertThat(interaction.occurredAt().toEpochMilli()).isEqualTo(1_748_772_007_000L);

            Cli.Run again = cli.run(importArgs(dir));
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).contains("already complete: 110 events published");
            Cli.Run restarted = cli.run(importArgs(dir, "--restart"));
            assertThat(restarted.exitCode()).as(restarted.err()).isZero();
            assertThat(restarted.out()).containsPattern("sessions\\s+33\\s+0\\s+30\\s+3")
                    .containsPattern("interactions\\s+60\\s+0\\s+60\\s+0")
                    .containsPattern("evaluations\\s+20\\s+0\\s+20\\s+0");
            assertThat(events(cli)).hasSize(SESSIONS + INTERACTIONS + EVALUATIONS);

            try (RunningApp writer = Writers.mongoWriter(ns, Map.of())) {
                Cli.Run verified = awaitVerified(cli, dir);
                assertThat(verified.out()).containsPattern("sessions\\s+30\\s+0\\s+0\\s+3")
                        .containsPattern("interactions\\s+60\\s+0\\s+0\\s+0")
                        .containsPattern("evaluations\\s+20\\s+0\\s+0\\s+0")
                        .contains("verified: every imported record is in MongoDB as imported");
                MongoDatabase db = ns.mongoDatabase();
                Document session = db.getCollection(Fields.SESSIONS).find(new Document("_id", "old-s-3")).first();
                assertThat(session).isNotNull();
                assertThat(session.getString(Fields.USER_ID)).isEqualTo("u-3");
                assertThat(session.get(Fields.CREATED_AT)).hasToString(java.util.Date.from(
                        java.time.Instant.parse("2025-06-01T10:00:00Z")).toString());

                db.getCollection(Fields.SESSIONS).updateOne(new Document("_id", "old-s-4"),
                        new Document("$set", new Document(Fields.STATUS, "tampered")));
                Cli.Run differs = cli.run(importArgs(dir, "--verify"));
                assertThat(differs.exitCode()).isEqualTo(ImportCommand.DIFFERENCES);
                assertThat(differs.out()).contains("sessions old-s-4: differs in status")
                        .contains("1 records are not in MongoDB as imported");
            }
        }
    }

    @Test
    void importsCollectionsOfTheOldSystemsMongoDb(TestNamespace ns, @TempDir Path dir) throws Exception {
        MongoDatabase old = ns.mongoClient().getDatabase(ns.mongoDatabaseName() + "-old");
        for (int i = 0; i < 12; i++) {
            old.getCollection("chats").insertOne(new Document("_id", new org.bson.types.ObjectId())
                    .append("user", "u-" + i).append("status", "active")
                    .append("started", java.util.Date.from(java.time.Instant.parse("2025-01-02T03:04:05Z")))
                    .append("context", new Document("price", new org.bson.types.Decimal128(new java.math.BigDecimal(
                            "19.90")))));
        }
        Files.writeString(dir.resolve("mapping.json"),
                "{\"sessions\": {\"sessionId\": \"_id\", \"userId\": \"user\", \"occurredAt\": \"started\"}}");
        String uri = ns.mongoUri().replaceFirst("/?(\\?|$)", "/" + old.getName() + "$1");
        String[] args = {"import", "--from-mongo", uri, "--sessions", "chats", "--session-strategy", "CRITICAL_ONLY",
                "--mapping", dir.resolve("mapping.json").toString(), "--work-dir", dir.resolve("work").toString()};
        try (Cli cli = new Cli(ns, Writers.stores(ns))) {
            cli.createTopics();
            List<String> withLimit = new ArrayList<>(List.of(args));
            withLimit.addAll(List.of("--limit", "5"));
            assertThat(cli.run(withLimit.toArray(String[]::new)).exitCode()).isEqualTo(4);
            Cli.Run rest = cli.run(args);
            assertThat(rest.exitCode()).as(rest.err()).isZero();
            assertThat(rest.out()).containsPattern("sessions\\s+12\\s+12\\s+0\\s+0");
            List<ConsumerRecord<byte[], byte[]>> published = events(cli);
            assertThat(published).hasSize(12);
            EventEnvelope first = EventCodec.decode(published.getFirst().value());
            assertThat(first.sessionId()).matches("[0-9a-f]{24}");
            assertThat(first.occurredAt()).hasToString("2025-01-02T03:04:05Z");
            assertThat(first.cacheStrategy()).isEqualTo("CRITICAL_ONLY");
            try (RunningApp writer = Writers.mongoWriter(ns, Map.of())) {
                awaitVerified(cli, args);
            }
        }
    }

    @Test
    void badArgumentsAreOneLineNamingTheArgument(TestNamespace ns, @TempDir Path dir) throws Exception {
        writeOldSystem(dir);
        try (Cli cli = new Cli(ns)) {
            assertBad(cli.run("import"), "give at least one of --sessions, --interactions, --evaluations");
            assertBad(cli.run("import", "--sessions", dir.resolve("sessions.jsonl").toString()),
                    "--session-strategy is required with --sessions");
            assertBad(cli.run("import", "--evaluations", dir.resolve("nothing.jsonl").toString()),
                    "--evaluations: no file " + dir.resolve("nothing.jsonl"));
            Files.writeString(dir.resolve("typo.json"), "{\"sessions\": {\"usrId\": \"owner.id\"}}");
            assertBad(cli.run("import", "--sessions", dir.resolve("sessions.jsonl").toString(), "--session-strategy",
                    "NONE", "--mapping", dir.resolve("typo.json").toString()),
                    "sessions.usrId is not a field of sessions; fields: cacheStrategy, context, metadata, "
                            + "occurredAt, sessionId, status, userId");
            assertBad(cli.run("import", "--sessions", "chats", "--session-strategy", "NONE", "--from-mongo",
                    "mongodb://127.0.0.1:1"), "--from-mongo: name the old system's database in the URI");
            assertBad(cli.run("import", "--sessions", dir.resolve("sessions.jsonl").toString(), "--session-strategy",
                    "SOMETIMES"), "--session-strategy");
            assertBad(cli.run(importArgs(dir, "--verify", "--limit", "3")), "--verify publishes nothing");
        }
    }

    private static void assertBad(Cli.Run run, String message) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains(message);
    }

    private static Cli.Run awaitVerified(Cli cli, Path dir) throws InterruptedException {
        return awaitVerified(cli, importArgs(dir));
    }

    private static Cli.Run awaitVerified(Cli cli, String[] args) throws InterruptedException {
        List<String> verify = new ArrayList<>(List.of(args));
        verify.add("--verify");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Cli.Run run;
        do {
            run = cli.run(verify.toArray(String[]::new));
            if (run.exitCode() == 0) {
                return run;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("mongo-writer did not store the import within 60 s: " + run.out() + run.err());
    }

    /** Every record on the three event topics. */
    private static List<ConsumerRecord<byte[], byte[]>> events(Cli cli) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cli.ns.kafkaBootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(cli.topics.sessions().name(), cli.topics.interactions().name(),
                    cli.topics.evaluations().name())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }
}
