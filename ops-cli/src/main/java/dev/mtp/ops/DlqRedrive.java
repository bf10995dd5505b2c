package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.ops.dlq.DeadLetter;
import dev.mtp.ops.dlq.Redrives;
import dev.mtp.ops.kafka.AdminReader;
import dev.mtp.ops.kafka.PipelineApp;
import dev.mtp.ops.kafka.RangeReader;
import dev.mtp.ops.replay.Outcome;
import dev.mtp.ops.replay.ReplaySink;
import dev.mtp.ops.replay.ReplaySinks;
import dev.mtp.ops.run.Progress;
import dev.mtp.ops.run.RateLimit;
import dev.mtp.ops.run.StopSignal;
import dev.mtp.ops.run.SummaryTable;
import dev.mtp.ops.run.TimeArgument;
import dev.mtp.runtime.consume.SourcedEvent;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "redrive", description = {
        "Apply selected dead letters (by app, reason, time or coordinates) after a fix, through the sink's own "
                + "guarded writes: cache-writer's letters into Redis, mongo-writer's into MongoDB.",
        "A redriven event keeps its original version, its offset on its source topic (the mtp.dlq.source.* headers): "
                + "it is never published again, which would give it a new offset and let it overwrite newer state. "
                + "So a letter older than what the store holds is skipped as stale. Its source record must still be "
                + "on its topic with the same bytes: that is how the redrive knows the offset is of the topic's "
                + "incarnation now (docs/decisions/0019-ops-import-redrive-replay.md).",
        "What it did is recorded on the dead-letter topic beside the letters: dlq list counts each group's redriven "
                + "letters, and a second redrive leaves them alone.",
        "Exit code 0: every selected letter redriven or found redriven; 1: some could not be (the table says why)."})
final class DlqRedrive implements Callable<Integer> {

    private static final Duration FETCH = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--app", paramLabel = "APP", converter = PipelineApp.Converter.class,
            description = "Only letters of cache-writer or mongo-writer.")
    PipelineApp app;

    @Option(names = "--reason", paramLabel = "REASON", description = "Only letters with this error class (its simple "
            + "name, as dlq list shows it, or the full one).")
    String reason;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeArgument.class,
            description = "Only letters that failed at or after TIME: " + TimeArgument.FORMS + ".")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = TimeArgument.class,
            description = "Only letters that failed before TIME.")
    Instant until;

    @Option(names = "--letter", paramLabel = "PARTITION:OFFSET", split = ",",
            description = "Only these letters (as dlq list and dlq show name them).")
    List<String> letters = new ArrayList<>();

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1000", description = "At most N letters a second "
            + "(default ${DEFAULT-VALUE}; 0: no limit).")
    double rate;

    @Option(names = "--dry-run", description = "Say what the sinks' guarded writes would do with each selected "
            + "letter; write nothing.")
    boolean dryRun;

    /** Why a selected letter was not redriven, or what its redrive did. */
    private final Map<String, Map<String, Long>> results = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
        if (since != null && until != null && !since.isBefore(until)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--since " + since + " must be before "
                    + "--until " + until);
        }
        if (app == PipelineApp.RECONCILER) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--app reconciler: its letters are events "
                    + "the writers read too; redrive them from cache-writer's or mongo-writer's letters");
        }
        for (String letter : letters) {
            if (!letter.matches("\\d{1,9}:\\d{1,18}")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--letter '" + letter + "' is not a "
                        + "partition and an offset, e.g. 0:42");
            }
        }
        Config config = OpsCli.config();
        PrintWriter out = spec.commandLine().getOut();
        PersistenceTopics topics = PipelineTopics.of(config);
        String dlq = topics.deadLetter().name();
        StopSignal stop = StopSignal.onShutdown();
        try (Admin admin = Admin.create(KafkaClients.admin(config))) {
            AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
            List<TopicPartition> partitions = kafka.partitions(List.of(dlq));
            if (partitions.isEmpty()) {
                throw new IllegalStateException("no dead-letter topic " + dlq + ": run topics create");
            }
            Set<String> redriven = new HashSet<>();
            List<ConsumerRecord<byte[], byte[]>> selected = new ArrayList<>();
            read(config, kafka, partitions, redriven, selected, stop);
            TopicIncarnations incarnations = TopicIncarnations.resolve(admin, topics.eventTopics().stream()
                    .map(t -> t.name()).toList(), config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
            redrive(config, kafka, dlq, incarnations, redriven, selected, stop);
            print(out, selected.size());
            boolean allDone = results.values().stream().flatMap(m -> m.keySet().stream())
                    .allMatch(r -> r.startsWith("redriven") || r.equals("already redriven") || r.startsWith("would"));
            return stop.interrupted() ? ExportCommand.INTERRUPTED : allDone ? 0 : 1;
        } finally {
            stop.close();
        }
    }

    private void read(Config config, AdminReader kafka, List<TopicPartition> partitions, Set<String> redriven,
                      List<ConsumerRecord<byte[], byte[]>> selected, StopSignal stop) throws Exception {
        Map<TopicPartition, Long> from = kafka.earliest(partitions);
        Map<TopicPartition, Long> to = kafka.latest(partitions);
        long total = partitions.stream().mapToLong(tp -> to.get(tp) - from.get(tp)).sum();
        Set<String> wanted = Set.copyOf(letters);
        try (RangeReader reader = new RangeReader(KafkaClients.common(config, "dlq-redrive"), 2_000);
             Progress progress = Progress.start("reading letters", total, "letters")) {
            reader.read(from, to, stop, r -> {
                progress.stepBy(1);
                DeadLetter letter = DeadLetter.of(r.partition(), r.offset(), r.timestamp(), r.headers());
                if (letter.isRedrive()) {
                    redriven.add(letter.redriveOf());
                } else if (selects(letter, wanted)) {
                    selected.add(r);
                }
            });
        }
    }

    private boolean selects(DeadLetter letter, Set<String> wanted) {
        return (app == null || app.cliName().equals(letter.app()))
                && (reason == null || reason.equals(letter.reason()) || reason.equals(letter.errorClass()))
                && (since == null || !letter.failedAt().isBefore(since))
                && (until == null || letter.failedAt().isBefore(until))
                && (wanted.isEmpty() || wanted.contains(letter.coordinates()));
    }

    private void redrive(Config config, AdminReader kafka, String dlq, TopicIncarnations incarnations,
                         Set<String> redriven, List<ConsumerRecord<byte[], byte[]>> selected, StopSignal stop)
            throws Exception {
        Map<PipelineApp, ReplaySink> sinks = new EnumMap<>(PipelineApp.class);
        RateLimit pace = RateLimit.perSecond(rate);
        Map<String, Object> consumerProps = KafkaClients.common(config, "dlq-redrive-source");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaConsumer<byte[], byte[]> sources = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> marks = new KafkaProducer<>(KafkaClients.producer(config),
                     new ByteArraySerializer(), new ByteArraySerializer());
             Progress progress = Progress.start("redriving", selected.size(), "letters")) {
            for (ConsumerRecord<byte[], byte[]> r : selected) {
                if (stop.stopRequested()) {
                    break;
                }
                progress.stepBy(1);
                DeadLetter letter = DeadLetter.of(r.partition(), r.offset(), r.timestamp(), r.headers());
                String result = redrive(config, kafka, incarnations, redriven, r, letter, sinks, sources, pace);
                results.computeIfAbsent(letter.app(), a -> new TreeMap<>()).merge(result, 1L, Long::sum);
                if (!dryRun && result.startsWith("redriven")) {
                    marks.send(Redrives.record(dlq, r, result.substring(result.indexOf(':') + 2), Instant.now()))
                            .get();
                }
            }
        } finally {
            for (ReplaySink sink : sinks.values()) {
                sink.close();
            }
        }
    }

    /** One letter: why it cannot be redriven, or what the sink did with it ("redriven: applied"). */
    private String redrive(Config config, AdminReader kafka, TopicIncarnations incarnations, Set<String> redriven,
                           ConsumerRecord<byte[], byte[]> r, DeadLetter letter, Map<PipelineApp, ReplaySink> sinks,
                           KafkaConsumer<byte[], byte[]> sources, RateLimit pace) throws Exception {
        if (redriven.contains(letter.coordinates())) {
            return "already redriven";
        }
        PipelineApp writer = PipelineApp.byCliName(letter.app()).filter(a -> a != PipelineApp.RECONCILER)
                .orElse(null);
        if (writer == null) {
            return "not a writer's letter";
        }
        if (letter.valueDropped() || r.value() == null) {
            return "letter without its value";
        }
        EventEnvelope event;
        try {
            event = EventCodec.decode(r.value());
        } catch (RuntimeException e) {
            return "still not a valid event";
        }
        if (!incarnations.byTopic().containsKey(letter.sourceTopic())) {
            return "source topic unknown";
        }
        String source = confirmSource(kafka, sources, letter, r.value());
        if (source != null) {
            return source;
        }
        ReplaySink sink = sinks.computeIfAbsent(writer, a -> ReplaySinks.open(a, config));
        SourcedEvent sourced = new SourcedEvent(event, event.type().topic(), letter.sourceTopic(),
                letter.sourcePartition(), letter.sourceOffset(), incarnations.of(letter.sourceTopic()));
        if (!sink.topics().contains(event.type().topic())) {
            return "not a topic " + writer.cliName() + " writes";
        }
        if (dryRun) {
            return "would be " + only(sink.judge(List.of(sourced))).name().toLowerCase(Locale.ROOT);
        }
        pace.acquire();
        Outcome outcome = only(sink.write(List.of(sourced)));
        sink.flush();
        return outcome == Outcome.REFUSED ? "refused by " + writer.cliName() + " again" : "redriven: " + outcome
                .name().toLowerCase(Locale.ROOT);
    }

    private static Outcome only(Map<Outcome, Long> outcomes) {
        return outcomes.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).findFirst()
                .orElse(Outcome.DUPLICATE);
    }

    /**
     * Null when the letter's source record is still on its topic with the letter's bytes, so its offset is a version
     * of the topic's incarnation now; else why not.
     */
    private static String confirmSource(AdminReader kafka, KafkaConsumer<byte[], byte[]> sources, DeadLetter letter,
                                        byte[] value) {
        TopicPartition tp = new TopicPartition(letter.sourceTopic(), letter.sourcePartition());
        if (!kafka.partitions(List.of(tp.topic())).contains(tp)) {
            return "source partition unknown";
        }
        if (letter.sourceOffset() < kafka.earliest(List.of(tp)).get(tp)) {
            return "source record expired: its version cannot be confirmed";
        }
        if (letter.sourceOffset() >= kafka.latest(List.of(tp)).get(tp)) {
            return "source topic recreated since: another incarnation";
        }
        sources.assign(List.of(tp));
        sources.seek(tp, letter.sourceOffset());
        long deadline = System.nanoTime() + FETCH.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> found : sources.poll(Duration.ofMillis(200))) {
                return found.offset() == letter.sourceOffset() && Arrays.equals(found.value(), value) ? null
                        : "source record differs: another incarnation";
            }
        }
        return "source record not read within " + FETCH.toSeconds() + " s";
    }

    private void print(PrintWriter out, int selected) {
        SummaryTable table = new SummaryTable("app", dryRun ? "what the redrive would do" : "result", "letters");
        results.forEach((letterApp, counts) -> counts.forEach((result, n) -> table.row(letterApp, result, n)));
        if (!table.isEmpty()) {
            table.print(out);
            out.println();
        }
        out.printf(Locale.ROOT, "%,d dead letters selected%s%n", selected, dryRun ? "; dry run: nothing was written"
                : "");
        out.flush();
    }
}
