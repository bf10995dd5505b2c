package dev.mtp.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code export evaluations} against a real broker: the formats, the time range, dry run, resume, bad arguments. */
@RealServers
class ExportEvaluationsIT {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    /** 40 evaluations, one a minute from T0, and one record on the topic that is no evaluation. */
    private static Cli stack(TestNamespace ns) throws Exception {
        Cli cli = new Cli(ns);
        cli.createTopics();
        cli.produceEvaluations(40, i -> T0.plusSeconds(60L * i));
        try (var producer = cli.producer()) {
            producer.send(new ProducerRecord<>(cli.topics.evaluations().name(), null, T0.plusSeconds(90).toEpochMilli(),
                    "s-x".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        return cli;
    }

    @Test
    void exportsEveryEvaluationAsJsonlAndCountsWhatIsNoEvaluation(TestNamespace ns) throws Exception {
        try (Cli cli = stack(ns)) {
            Path out = dir.resolve("evaluations.jsonl");
            Cli.Run run = cli.run("export", "evaluations", "-o", out.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).containsPattern("records written\\s+40\\s+40")
                    .containsPattern("skipped, not an evaluation event\\s+1\\s+1")
                    .contains("complete: 40 evaluations in " + out);
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(40);
            JsonNode row = lines.stream().map(ExportEvaluationsIT::json)
                    .filter(n -> n.get("sessionId").asText().equals("s-7")).findFirst().orElseThrow();
            assertThat(row.get("entityType").asText()).isEqualTo("session");
            assertThat(row.get("occurredAt").asText()).isEqualTo("2026-12-01T00:00:07Z");
            assertThat(row.get("evaluationData").get("satisfaction_score").asDouble()).isEqualTo(2.5);
            assertThat(row.get("evaluationData").get("topics").get(1).asText()).isEqualTo("returns");
            assertThat(row.get("kafkaTimestamp").asLong()).isEqualTo(T0.plusSeconds(7 * 60).toEpochMilli());

            Cli.Run again = cli.run("export", "evaluations", "-o", out.toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).contains("already complete: 40 records");
        }
    }

    @Test
    void aDryRunShowsTheRangeAndWritesNothing(TestNamespace ns) throws Exception {
        try (Cli cli = stack(ns)) {
            Path out = dir.resolve("e.csv");
            Cli.Run dry = cli.run("export", "evaluations", "-o", out.toString(), "--from", "2026-12-01T00:10:00Z",
                    "--to", "2026-12-01T00:20:00Z", "--dry-run");
            assertThat(dry.exitCode()).isZero();
            assertThat(dry.out()).contains("would read 10 records into " + out + " as csv")
                    .contains("dry run: nothing was written");
            try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void anInterruptedCsvExportResumesWhereItsCheckpointIsWithoutDuplicatesOrTheTornTail(TestNamespace ns)
            throws Exception {
        try (Cli cli = stack(ns)) {
            Path out = dir.resolve("evaluations.csv");
            String[] export = {"export", "evaluations", "-o", out.toString(), "--from", "2026-12-01T00:05:00Z",
                    "--to", "2026-12-01T00:30:00Z"};
            Cli.Run first = cli.run(concat(export, "--limit", "10"));
            assertThat(first.exitCode()).isEqualTo(ExportCommand.INCOMPLETE);
            assertThat(first.out()).contains("stopped at --limit 10: run the same command again to resume");
            assertThat(Files.readAllLines(out)).hasSize(1 + 10);
            // a run that died after its last checkpoint left half a line behind
            Files.writeString(out, "half,a,li", StandardOpenOption.APPEND);

            Cli.Run other = cli.run("export", "evaluations", "-o", out.toString());
            assertThat(other.exitCode()).isEqualTo(2);
            assertThat(other.errorLines()).singleElement().asString().contains("is the checkpoint of another export");

            Cli.Run rest = cli.run(export);
            assertThat(rest.exitCode()).as(rest.err()).isZero();
            assertThat(rest.out()).containsPattern("records written\\s+15\\s+25");
            List<String> lines = Files.readAllLines(out);
            assertThat(lines.get(0)).isEqualTo("eventId,sessionId,entityType,entityId,occurredAt,producer,"
                    + "evaluationData,kafkaPartition,kafkaOffset,kafkaTimestamp");
            assertThat(lines).hasSize(1 + 25).doesNotContain("half,a,li");
            assertThat(lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct()).hasSize(25);
            assertThat(lines.stream().skip(1).map(l -> l.split(",")[1]).sorted().toList())
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(5, 30)
                            .mapToObj(i -> "s-" + i).toList());
            // evaluationData as JSON text, its own quotes doubled: one CSV field though it holds commas
            assertThat(lines.get(1)).contains("\"\"satisfaction_score\"\":")
                    .contains("\"\"comment\"\":\"\"fine, \\\"\"really");
        }
    }

    @Test
    void parquetIsReadableByDuckDbAndResumesToo(TestNamespace ns) throws Exception {
        try (Cli cli = stack(ns)) {
            Path out = dir.resolve("evaluations.parquet");
            Cli.Run first = cli.run("export", "evaluations", "-o", out.toString(), "--limit", "15");
            assertThat(first.exitCode()).isEqualTo(ExportCommand.INCOMPLETE);
            assertThat(out).doesNotExist();
            Cli.Run rest = cli.run("export", "evaluations", "-o", out.toString());
            assertThat(rest.exitCode()).as(rest.err()).isZero();
            assertThat(dir.resolve("evaluations.parquet.staging.jsonl")).doesNotExist();
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                 Statement sql = db.createStatement();
                 ResultSet r = sql.executeQuery("SELECT count(*), count(DISTINCT eventId), "
                         + "max(occurredAt)::VARCHAR, typeof(max(occurredAt)), "
                         + "sum((evaluationData->>'satisfaction_score')::DOUBLE), "
                         + "max(kafkaTimestamp) = TIMESTAMPTZ '2026-12-01 00:39:00+00' "
                         + "FROM read_parquet('" + out + "')")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(1)).isEqualTo(40);
                assertThat(r.getLong(2)).isEqualTo(40);
                assertThat(r.getString(3)).startsWith("2026-12-01 00:00:39");
                assertThat(r.getString(4)).isEqualTo("TIMESTAMP WITH TIME ZONE");
                assertThat(r.getDouble(5)).isEqualTo(8 * (0.5 + 1.5 + 2.5 + 3.5 + 4.5));
                assertThat(r.getBoolean(6)).isTrue();
            }
            byte[] bytes = Files.readAllBytes(out);
            assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
            assertThat(new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        }
    }

    @Test
    void ctrlCStopsTheExportWithACheckpointAndTheNextRunCompletesIt(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns)) {
            cli.createTopics();
            int records = 200_000;
            cli.produceManyEvaluations(records);
            Path out = dir.resolve("big.jsonl");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), OpsCli.class.getName(),
                    "export", "evaluations", "-o", out.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile());
            builder.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers(),
                    "APP_TOPICS_PREFIX", ns.topicPrefix(), "APP_TOPICS_PARTITIONS", "2", "LOG_LEVEL", "WARN"));
            Process export = builder.start();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!(Files.exists(out) && Files.size(out) > 0) && export.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(export.pid())).start().waitFor();
            assertThat(export.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("child.log"));
            assertThat(export.exitValue()).as(log).isEqualTo(ExportCommand.INTERRUPTED);
            assertThat(log).contains("interrupted: run the same command again to resume");
            long written = Files.readAllLines(out).size();
            assertThat(written).isPositive().isLessThan(records);

            Cli.Run rest = cli.run("export", "evaluations", "-o", out.toString());
            assertThat(rest.exitCode()).as(rest.err()).isZero();
            assertThat(rest.out()).contains("complete: " + String.format(java.util.Locale.ROOT, "%,d", records));
            try (var lines = Files.lines(out)) {
                assertThat(lines.map(l -> l.substring(0, l.indexOf(",\"sessionId\""))).distinct().count())
                        .isEqualTo(records);
            }
        }
    }

    @Test
    void badArgumentsAreOneLineNamingTheArgumentWithExitCode2(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns)) {
            Map<String[], String> cases = Map.of(
                    new String[]{"export", "evaluations"}, "Missing required option: '--output=FILE'",
                    new String[]{"export", "evaluations", "-o", dir.resolve("e.txt").toString()},
                    "--output: cannot tell the format from 'e.txt'",
                    new String[]{"export", "evaluations", "-o", "e.csv", "--format", "xlsx"},
                    "'xlsx' is not a format; valid: jsonl, csv, parquet",
                    new String[]{"export", "evaluations", "-o", "e.csv", "--from", "2026-13-01"},
                    "--from",
                    new String[]{"export", "evaluations", "-o", "e.csv", "--from", "2d", "--to", "3d"},
                    "must be before --to",
                    new String[]{"export", "evaluations", "-o", "e.csv", "--limit", "0"},
                    "--limit: must be at least 1, was 0",
                    new String[]{"export", "evaluations", "-o", dir.resolve("no/e.csv").toString()},
                    "does not exist");
            cases.forEach((args, message) -> {
                Cli.Run run = cli.run(args);
                assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
                assertThat(run.errorLines()).singleElement().asString().contains(message);
            });
            Path existing = Files.writeString(dir.resolve("old.jsonl"), "{}\n");
            Cli.Run overwrite = cli.run("export", "evaluations", "-o", existing.toString());
            assertThat(overwrite.exitCode()).isEqualTo(2);
            assertThat(overwrite.errorLines()).singleElement().asString()
                    .contains("exists and no checkpoint says an export to it is under way");
        }
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static JsonNode json(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
