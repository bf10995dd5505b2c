package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventEnvelopeSerde;
import dev.mtp.ops.export.EvaluationRow;
import dev.mtp.ops.export.ExportFormat;
import dev.mtp.ops.export.RowWriter;
import dev.mtp.ops.export.Staging;
import dev.mtp.ops.kafka.AdminReader;
import dev.mtp.ops.kafka.RangeReader;
import dev.mtp.ops.run.Checkpoint;
import dev.mtp.ops.run.CheckpointFile;
import dev.mtp.ops.run.Progress;
import dev.mtp.ops.run.StopSignal;
import dev.mtp.ops.run.SummaryTable;
import dev.mtp.ops.run.TimeArgument;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "export", description = "Export a topic for analysts.", subcommands = ExportCommand.Evaluations.class)
final class ExportCommand {

    /** Exit code when the run stopped at --limit with a checkpoint: run again to resume. */
    static final int INCOMPLETE = 4;
    /** Exit code when Ctrl-C (or SIGTERM) stopped the run with a checkpoint: run again to resume. */
    static final int INTERRUPTED = 130;

    @Command(name = "evaluations", description = {
            "Export the evaluation topic, by time range, as JSONL, CSV or Parquet, streaming (memory stays flat).",
            "The range is in the records' Kafka timestamps: per partition, from the first record at or after --from "
                    + "to the last one before --to (the end as of the first run when --to is not given).",
            "Resumable: a checkpoint beside the output (<output>.checkpoint) records how far it got; the same "
                    + "command run again after Ctrl-C, --limit or a crash carries on from there, without duplicates.",
            "Exit code 0: complete; 4: stopped at --limit; 130: interrupted; run again to resume."})
    static final class Evaluations implements Callable<Integer> {

        private static final long CHECKPOINT_EVERY_MS = 2_000;

        @Spec
        CommandSpec spec;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
                description = "The file to write; its ending (.jsonl, .csv, .parquet) gives the format unless "
                        + "--format does.")
        Path output;

        @Option(names = "--format", paramLabel = "FORMAT", converter = ExportFormat.Converter.class,
                description = "jsonl, csv or parquet.")
        ExportFormat format;

        @Option(names = "--from", paramLabel = "TIME", converter = TimeArgument.class,
                description = "The first time exported: " + TimeArgument.FORMS + " (default: the topic's start).")
        Instant from;

        @Option(names = "--to", paramLabel = "TIME", converter = TimeArgument.class,
                description = "The time the export stops before (default: the topic's end as of the first run).")
        Instant to;

        @Option(names = "--limit", paramLabel = "N", description = "Stop after N records in this run, with a "
                + "checkpoint; the next run resumes (exports in slices, or samples the first N).")
        Long limit;

        @Option(names = "--dry-run", description = "Show the range, the record count and where it would go; write "
                + "nothing.")
        boolean dryRun;

        @Option(names = "--restart", description = "Forget the checkpoint and what was written, and start again.")
        boolean restart;

        @Override
        public Integer call() throws Exception {
            ExportFormat fmt = checkArguments();
            Config config = OpsCli.config();
            PrintWriter out = spec.commandLine().getOut();
            String topic = PipelineTopics.of(config).evaluations().name();
            Staging staging = new Staging(fmt, output.toAbsolutePath());
            CheckpointFile checkpoints = CheckpointFile.beside(staging.output());
            String job = "evaluations of " + topic + " from " + (from == null ? "the start" : from) + " to "
                    + (to == null ? "the end as of the first run" : to) + " as " + fmt.cliName();
            if (restart && !dryRun) {
                staging.discard();
                checkpoints.delete();
            }
            Optional<Checkpoint> saved = restart ? Optional.empty() : checkpoints.load();
            if (saved.isPresent() && !saved.get().job().equals(job)) {
                throw bad("--output: " + checkpoints.path() + " is the checkpoint of another export (" + saved.get()
                        .job() + "): pass --restart to start this one over it, or choose another --output");
            }
            if (saved.isPresent() && saved.get().complete()) {
                out.printf(Locale.ROOT, "already complete: %,d records in %s (%s); --restart exports again%n",
                        saved.get().counter("records"), staging.output(), checkpoints.path());
                return 0;
            }
            if (saved.isEmpty() && !dryRun && (Files.exists(staging.output()) || Files.exists(staging.rows()))) {
                throw bad("--output: " + staging.output() + " exists and no checkpoint says an export to it is under "
                        + "way: remove it, or pass --restart to overwrite it");
            }
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                Checkpoint start = saved.orElseGet(() -> plan(kafka, topic, job));
                if (dryRun) {
                    printPlan(out, start, staging, saved.isPresent());
                    return 0;
                }
                return new Run(config, topic, staging, checkpoints, start, out).execute();
            }
        }

        private ExportFormat checkArguments() {
            if (from != null && to != null && !from.isBefore(to)) {
                throw bad("--from " + from + " must be before --to " + to);
            }
            if (limit != null && limit < 1) {
                throw bad("--limit: must be at least 1, was " + limit);
            }
            if (dryRun && restart) {
                throw bad("--dry-run and --restart: a dry run changes nothing, so it cannot restart");
            }
            ExportFormat implied = ExportFormat.implied(output).orElse(null);
            if (format == null && implied == null) {
                throw bad("--output: cannot tell the format from '" + output.getFileName() + "': end it in .jsonl, "
                        + ".csv or .parquet, or pass --format");
            }
            if (format != null && implied != null && format != implied) {
                throw bad("--format " + format.cliName() + " does not match --output '" + output.getFileName()
                        + "', which ends like " + implied.cliName());
            }
            if (output.toAbsolutePath().getParent() != null && !Files.isDirectory(output.toAbsolutePath().getParent())) {
                throw bad("--output: directory " + output.toAbsolutePath().getParent() + " does not exist");
            }
            return format != null ? format : implied;
        }

        private CommandLine.ParameterException bad(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }

        private Checkpoint plan(AdminReader kafka, String topic, String job) {
            List<TopicPartition> partitions = kafka.partitions(List.of(topic));
            if (partitions.isEmpty()) {
                throw new IllegalStateException("no topic " + topic + ": run topics create");
            }
            Map<TopicPartition, Long> start = from == null ? kafka.earliest(partitions) : kafka.at(partitions, from);
            Map<TopicPartition, Long> end = to == null ? kafka.latest(partitions) : kafka.at(partitions, to);
            Map<Integer, Long> next = new HashMap<>();
            Map<Integer, Long> last = new HashMap<>();
            for (TopicPartition tp : partitions) {
                next.put(tp.partition(), start.get(tp));
                last.put(tp.partition(), Math.max(start.get(tp), end.get(tp)));
            }
            return new Checkpoint(job, next, last, Map.of(), false, Instant.now());
        }

        private static void printPlan(PrintWriter out, Checkpoint plan, Staging staging, boolean resuming) {
            SummaryTable table = new SummaryTable("partition", "from offset", "to offset", "records");
            plan.end().forEach((p, end) -> table.row(p, plan.next().get(p), end, end - plan.next().get(p)));
            table.print(out);
            out.printf(Locale.ROOT, "%nwould read %,d records into %s as %s%s%n", plan.remaining(), staging.output(),
                    staging.format().cliName(), resuming ? String.format(Locale.ROOT, ", resuming after the %,d "
                            + "already written", plan.counter("records")) : "");
            out.println("dry run: nothing was written");
        }

        /** One run of the export: reads from the checkpoint's offsets, writes, checkpoints, finishes. */
        private final class Run {
            private final Config config;
            private final String topic;
            private final Staging staging;
            private final CheckpointFile checkpoints;
            private final PrintWriter out;
            private final Checkpoint start;
            private final Deserializer<EventEnvelope> events = new EventEnvelopeSerde().deserializer();
            private long records;
            private long skipped;
            private long bytes;
            private Map<Integer, Long> next;

            Run(Config config, String topic, Staging staging, CheckpointFile checkpoints, Checkpoint start,
                PrintWriter out) {
                this.config = config;
                this.topic = topic;
                this.staging = staging;
                this.checkpoints = checkpoints;
                this.start = start;
                this.out = out;
                this.records = start.counter("records");
                this.skipped = start.counter("skipped");
                this.bytes = start.counter("bytes");
                this.next = new HashMap<>(start.next());
            }

            int execute() throws Exception {
                long begun = System.nanoTime();
                Map<TopicPartition, Long> from = new HashMap<>();
                Map<TopicPartition, Long> to = new HashMap<>();
                start.end().forEach((p, end) -> {
                    from.put(new TopicPartition(topic, p), start.next().get(p));
                    to.put(new TopicPartition(topic, p), end);
                });
                // closed only after the summary: a Ctrl-C's shutdown waits until the checkpoint and summary are out
                StopSignal stop = StopSignal.onShutdown();
                try {
                    try (RangeReader reader = new RangeReader(KafkaClients.common(config, "export"), 2_000);
                         RowWriter writer = staging.open(bytes);
                         Progress progress = Progress.start("exporting", start.remaining() + records + skipped,
                                 records + skipped, "records")) {
                        checkpoint(writer);
                        long[] lastCheckpoint = {System.currentTimeMillis()};
                        reader.read(from, to, stop, new RangeReader.Handler() {
                            @Override
                            public void record(ConsumerRecord<byte[], byte[]> r) throws Exception {
                                EvaluationRow row = decode(r);
                                if (row == null) {
                                    skipped++;
                                } else {
                                    writer.write(row);
                                    records++;
                                }
                                progress.stepBy(1);
                                if (limit != null && records + skipped - start.counter("records")
                                        - start.counter("skipped") >= limit) {
                                    stop.stop("limit");
                                }
                            }

                            @Override
                            public void polled(Map<TopicPartition, Long> positions) throws Exception {
                                positions.forEach((tp, offset) -> next.put(tp.partition(), offset));
                                if (System.currentTimeMillis() - lastCheckpoint[0] >= CHECKPOINT_EVERY_MS) {
                                    checkpoint(writer);
                                    lastCheckpoint[0] = System.currentTimeMillis();
                                }
                            }
                        }).forEach((tp, offset) -> next.put(tp.partition(), offset));
                        checkpoint(writer);
                    }
                    Checkpoint reached = checkpoints.load().orElseThrow();
                    boolean done = reached.remaining() == 0;
                    if (done) {
                        staging.finish();
                        checkpoints.save(new Checkpoint(reached.job(), reached.next(), reached.end(),
                                reached.counters(), true, Instant.now()));
                    }
                    summary(begun, done, stop);
                    return done ? 0 : stop.interrupted() ? INTERRUPTED : INCOMPLETE;
                } finally {
                    stop.close();
                }
            }

            private EvaluationRow decode(ConsumerRecord<byte[], byte[]> r) {
                try {
                    return EvaluationRow.of(events.deserialize(topic, r.value()), r.partition(), r.offset(),
                            r.timestamp());
                } catch (RuntimeException e) {
                    return null; // not an evaluation event: the writers dead-letter it, the export counts it
                }
            }

            private void checkpoint(RowWriter writer) throws Exception {
                bytes = writer.sync();
                checkpoints.save(new Checkpoint(start.job(), next, start.end(), Map.of("records", records,
                        "skipped", skipped, "bytes", bytes), false, Instant.now()));
            }

            private void summary(long begun, boolean done, StopSignal stop) throws Exception {
                double seconds = (System.nanoTime() - begun) / 1e9;
                long runRecords = records - start.counter("records");
                long size = Files.exists(staging.output()) && done ? Files.size(staging.output()) : bytes;
                SummaryTable table = new SummaryTable("", "this run", "in total");
                table.row("records written", runRecords, records);
                table.row("skipped, not an evaluation event", skipped - start.counter("skipped"), skipped);
                table.row("records left", "", checkpoints.load().orElseThrow().remaining());
                table.row("elapsed", String.format(Locale.ROOT, "%.1f s", seconds), "");
                table.row("rate (records/s)", seconds > 0 ? runRecords / seconds : 0.0, "");
                table.row(done ? "output bytes" : "bytes written so far", "", size);
                out.println();
                table.print(out);
                out.println();
                if (done) {
                    out.printf(Locale.ROOT, "complete: %,d evaluations in %s (%s)%n", records, staging.output(),
                            staging.format().cliName());
                } else {
                    out.printf(Locale.ROOT, "%s: run the same command again to resume (checkpoint %s)%n",
                            stop.interrupted() ? "interrupted" : "stopped at --limit " + limit, checkpoints.path());
                }
            }
        }
    }
}
