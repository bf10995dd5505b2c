package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.ops.dlq.DeadLetter;
import dev.mtp.ops.dlq.LetterGroups;
import dev.mtp.ops.dlq.ValueView;
import dev.mtp.ops.kafka.AdminReader;
import dev.mtp.ops.kafka.RangeReader;
import dev.mtp.ops.run.Progress;
import dev.mtp.ops.run.StopSignal;
import dev.mtp.ops.run.SummaryTable;
import dev.mtp.ops.run.TimeArgument;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "dlq", description = "The dead-letter topic: records a writer could not apply, with mtp.dlq.* headers "
        + "saying why.", subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqRedrive.class})
final class DlqCommand {

    private static final int MESSAGE_CHARS = 70;

    @Command(name = "list", description = "Group the dead letters by app, reason (error class) and source topic, with "
            + "counts, how many of them dlq redrive applied, time range and the latest letter of each group (its "
            + "coordinates, for dlq show).")
    static final class ListLetters implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
                description = "Only letters that failed at or after TIME (mtp.dlq.failed.at): " + TimeArgument.FORMS
                        + ".")
        Instant since;

        @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class,
                description = "Only letters that failed before TIME.")
        Instant until;

        @Override
        public Integer call() throws Exception {
            if (since != null && until != null && !since.isBefore(until)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--since " + since + " must be before --until " + until);
            }
            Config config = OpsCli.config();
            PrintWriter out = spec.commandLine().getOut();
            String topic = PipelineTopics.of(config).deadLetter().name();
            LetterGroups groups = new LetterGroups();
            // closed only after the summary: a Ctrl-C's shutdown waits until what was read so far is shown
            StopSignal stop = StopSignal.onShutdown();
            try {
                read(config, topic, groups, stop);
                print(out, groups, topic, stop.interrupted());
                return stop.interrupted() ? ExportCommand.INTERRUPTED : 0;
            } finally {
                stop.close();
            }
        }

        private void read(Config config, String topic, LetterGroups groups, StopSignal stop) throws Exception {
            try (Admin admin = Admin.create(KafkaClients.admin(config));
                 RangeReader reader = new RangeReader(KafkaClients.common(config, "dlq-list"), 2_000)) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                List<TopicPartition> partitions = kafka.partitions(List.of(topic));
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("no dead-letter topic " + topic + ": run topics create");
                }
                // a letter is written after it failed, so none that failed since --since is before its records
                Map<TopicPartition, Long> from = since == null ? kafka.earliest(partitions) : kafka.at(partitions, since);
                Map<TopicPartition, Long> to = kafka.latest(partitions);
                long total = partitions.stream().mapToLong(tp -> Math.max(0, to.get(tp) - from.get(tp))).sum();
                try (Progress progress = Progress.start("reading letters", total, "letters")) {
                    reader.read(from, to, stop, r -> {
                        DeadLetter letter = DeadLetter.of(r.partition(), r.offset(), r.timestamp(), r.headers());
                        if ((since == null || !letter.failedAt().isBefore(since))
                                && (until == null || letter.failedAt().isBefore(until))) {
                            groups.add(letter);
                        }
                        progress.stepBy(1);
                    });
                }
            }
        }

        private static void print(PrintWriter out, LetterGroups groups, String topic, boolean interrupted) {
            SummaryTable table = new SummaryTable("app", "reason", "source topic", "letters", "redriven", "first",
                    "last", "latest letter", "its message");
            for (LetterGroups.Group g : groups.groups()) {
                String message = g.latest().errorMessage().replaceAll("\\s+", " ");
                table.row(g.key().app(), g.key().reason(), g.key().sourceTopic(), g.count(), g.redriven(), g.first(),
                        g.last(),
                        g.latest().coordinates(), message.length() > MESSAGE_CHARS
                                ? message.substring(0, MESSAGE_CHARS - 3) + "..." : message);
            }
            if (!table.isEmpty()) {
                table.print(out);
                out.println();
            }
            out.printf(Locale.ROOT, "%,d dead letters on %s in %d groups%s%n", groups.letters(), topic,
                    groups.groups().size(), interrupted ? " (interrupted: the rest was not read)" : "");
        }
    }

    @Command(name = "show", description = "Print one dead letter: where it came from, why it failed, its headers and "
            + "its original bytes decoded.")
    static final class Show implements Callable<Integer> {

        private static final Pattern COORDINATES = Pattern.compile("(\\d{1,9}):(\\d{1,18})");

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PARTITION:OFFSET", description = "The letter's place on the dead-letter topic, "
                + "as dlq list shows it, e.g. 0:42.")
        String coordinates;

        @Override
        public Integer call() throws Exception {
            Matcher m = COORDINATES.matcher(coordinates);
            if (!m.matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "PARTITION:OFFSET: '" + coordinates + "' is not a partition and an offset, e.g. 0:42");
            }
            Config config = OpsCli.config();
            PrintWriter out = spec.commandLine().getOut();
            String topic = PipelineTopics.of(config).deadLetter().name();
            TopicPartition tp = new TopicPartition(topic, Integer.parseInt(m.group(1)));
            long offset = Long.parseLong(m.group(2));
            try (Admin admin = Admin.create(KafkaClients.admin(config));
                 RangeReader reader = new RangeReader(KafkaClients.common(config, "dlq-show"), 1);
                 StopSignal stop = StopSignal.manual()) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                if (!kafka.partitions(List.of(topic)).contains(tp)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "PARTITION:OFFSET: " + topic
                            + " has no partition " + tp.partition());
                }
                long first = kafka.earliest(List.of(tp)).get(tp);
                long end = kafka.latest(List.of(tp)).get(tp);
                if (offset < first || offset >= end) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "PARTITION:OFFSET: partition "
                            + tp.partition() + " of " + topic + " holds offsets " + first + " to " + (end - 1)
                            + (first == end ? " (none)" : "") + ", not " + offset);
                }
                AtomicReference<ConsumerRecord<byte[], byte[]>> found = new AtomicReference<>();
                Map<TopicPartition, Long> from = new HashMap<>(Map.of(tp, offset));
                reader.read(from, Map.of(tp, offset + 1), stop, r -> {
                    found.set(r);
                    stop.stop("found");
                });
                if (found.get() == null) {
                    throw new IllegalStateException("no record at " + coordinates + " of " + topic
                            + " (a transaction marker or compacted away)");
                }
                print(out, topic, found.get());
            }
            return 0;
        }

        private static void print(PrintWriter out, String topic, ConsumerRecord<byte[], byte[]> r) {
            DeadLetter letter = DeadLetter.of(r.partition(), r.offset(), r.timestamp(), r.headers());
            out.printf(Locale.ROOT, "dead letter %s:%d on %s, written %s%n", r.partition(), r.offset(), topic,
                    Instant.ofEpochMilli(r.timestamp()));
            out.printf("  app        %s%n  failed at  %s%n  reason     %s%n  message    %s%n  source     %s%n",
                    letter.app(), letter.failedAt(), letter.errorClass(), letter.errorMessage(), letter.source());
            out.printf("  key        %s%n", r.key() == null ? "(none)" : new String(r.key(), StandardCharsets.UTF_8));
            out.println("headers:");
            for (Header h : r.headers()) {
                out.printf("  %-28s %s%n", h.key(), h.value() == null ? "(null)"
                        : new String(h.value(), StandardCharsets.UTF_8));
            }
            out.println("original value:");
            if (letter.valueDropped()) {
                out.printf(Locale.ROOT, "  dropped: %,d bytes, too large to carry with the headers; the original is "
                        + "at %s%n", letter.valueDroppedBytes(), letter.source());
            } else {
                ValueView.render(r.value()).lines().forEach(line -> out.println("  " + line));
            }
            out.flush();
        }
    }
}
