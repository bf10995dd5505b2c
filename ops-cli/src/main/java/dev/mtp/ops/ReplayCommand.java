package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.ops.kafka.AdminReader;
import dev.mtp.ops.kafka.PartitionKeys;
import dev.mtp.ops.kafka.PipelineApp;
import dev.mtp.ops.kafka.RangeReader;
import dev.mtp.ops.replay.OffsetRanges;
import dev.mtp.ops.replay.Outcome;
import dev.mtp.ops.replay.ReplayCheckpoint;
import dev.mtp.ops.replay.ReplaySink;
import dev.mtp.ops.replay.ReplaySinks;
import dev.mtp.ops.run.CheckpointFile;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "replay", description = {
        "Replay a range of the persistence topics into one sink while live traffic runs: cache-writer (Redis) or "
                + "mongo-writer (MongoDB), through that app's own guarded writes, so a replay of any range is "
                + "idempotent and never takes a store back to older state: each event is applied, skipped as a "
                + "duplicate (the store holds its version) or skipped as stale (the store holds newer state).",
        "The range: by time (--from, --to: the records' Kafka timestamps) or by offsets per partition of one topic "
                + "(--topic with --offsets), optionally only some sessions (--session).",
        "Rate-limited (--rate): the replay competes with the sink's live consumer for the store. While the replay "
                + "rate plus the live input stays below what the store takes, the live consumer's lag does not grow; "
                + "beyond, it grows by at most (replay rate + input rate - store throughput) x replay time, and "
                + "drains afterwards. The summary shows the live group's lag before, at its highest, and after "
                + "(docs/decisions/0019-ops-import-redrive-replay.md).",
        "Resumable: the checkpoint (--checkpoint) records how far it got; the same command run again carries on.",
        "Exit code 0: complete; 4: stopped at --limit; 130: interrupted; run again to resume."})
final class ReplayCommand implements Callable<Integer> {

    private static final long CHECKPOINT_EVERY_MS = 2_000;
    private static final int BATCH = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--sink", required = true, paramLabel = "APP", converter = PipelineApp.Converter.class,
            description = "cache-writer or mongo-writer.")
    PipelineApp sink;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "sessions, interactions or evaluations; repeat "
            + "for several (default: every topic the sink consumes).")
    List<String> topicNames = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME", converter = TimeArgument.class,
            description = "The first time replayed: " + TimeArgument.FORMS + ".")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeArgument.class,
            description = "The time the replay stops before (default: the end as of the first run).")
    Instant to;

    @Option(names = "--offsets", paramLabel = "RANGES", description = "Offsets of the one --topic per partition: "
            + "PARTITION:FROM-TO, comma separated, TO exclusive and optional (0:120-480,1:95-).")
    String offsets;

    @Option(names = "--session", paramLabel = "ID", description = "Replay only this session's events; repeatable.")
    List<String> sessions = new ArrayList<>();

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1000", description = "At most N events a second "
            + "(default ${DEFAULT-VALUE}; 0: no limit).")
    double rate;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Where the checkpoint is kept (default "
            + "./mtp-replay-<sink>.checkpoint.json).")
    Path checkpointPath;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events in this run, with a checkpoint.")
    Long limit;

    @Option(names = "--dry-run", description = "Count what would be applied, skipped as stale and skipped as "
            + "duplicate, from the versions the store holds; write nothing.")
    boolean dryRun;

    @Option(names = "--restart", description = "Forget the checkpoint and start the range again.")
    boolean restart;

    @Override
    public Integer call() throws Exception {
        checkArguments();
        Config config = OpsCli.config();
        PrintWriter out = spec.commandLine().getOut();
        PersistenceTopics topics = PipelineTopics.of(config);
        CheckpointFile checkpoints = new CheckpointFile(checkpointPath != null ? checkpointPath
                : Path.of("mtp-replay-" + sink.cliName() + ".checkpoint.json"));
        if (restart) {
            checkpoints.delete();
        }
        try (Admin admin = Admin.create(KafkaClients.admin(config));
             ReplaySink target = ReplaySinks.open(sink, config)) {
            AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
            List<String> names = topicsOf(target, topics);
            String job = "replay of " + names + " into " + sink.cliName() + " " + (offsets != null ? "offsets "
                    + offsets : "from " + (from == null ? "the start" : from) + " to " + (to == null
                    ? "the end as of the first run" : to)) + (sessions.isEmpty() ? "" : " sessions " + sessions);
            Optional<ReplayCheckpoint> saved = checkpoints.load(ReplayCheckpoint.class);
            if (saved.isPresent() && !saved.get().job().equals(job)) {
                throw bad("--checkpoint: " + checkpoints.path() + " is the checkpoint of another replay ("
                        + saved.get().job() + "): pass --restart to start this one over it, or choose another "
                        + "--checkpoint");
            }
            if (saved.isPresent() && saved.get().complete()) {
                out.printf(Locale.ROOT, "already complete: %,d events replayed into %s (%s); --restart replays "
                        + "again%n", saved.get().counters().values().stream().mapToLong(Long::longValue).sum(),
                        sink.cliName(), checkpoints.path());
                return 0;
            }
            ReplayCheckpoint start = saved.orElseGet(() -> plan(kafka, names, job));
            TopicIncarnations incarnations = TopicIncarnations.resolve(admin, names,
                    config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
            return new Run(config, kafka, topics, incarnations, target, checkpoints, start, out).execute();
        }
    }

    private void checkArguments() {
        if (sink == PipelineApp.RECONCILER) {
            throw bad("--sink reconciler: the reconciler rebuilds its shadow from its own topics: stop it, run "
                    + "'offsets reset --app reconciler --to-earliest' and start it again");
        }
        if (offsets != null && (from != null || to != null)) {
            throw bad("--offsets and --from/--to: give the range one way");
        }
        if (offsets != null && topicNames.size() != 1) {
            throw bad("--offsets needs exactly one --topic: offsets belong to one topic's partitions");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw bad("--from " + from + " must be before --to " + to);
        }
        if (rate < 0) {
            throw bad("--rate: must be 0 (no limit) or more, was " + rate);
        }
        if (limit != null && limit < 1) {
            throw bad("--limit: must be at least 1, was " + limit);
        }
        if (dryRun && restart) {
            throw bad("--dry-run and --restart: a dry run changes nothing, so it cannot restart");
        }
        for (String session : sessions) {
            if (!dev.mtp.common.event.Ids.isValid(session)) {
                throw bad("--session '" + session + "': " + dev.mtp.common.event.Ids.RULE);
            }
        }
    }

    private List<String> topicsOf(ReplaySink target, PersistenceTopics topics) {
        Set<TopicRole> consumed = target.topics();
        if (topicNames.isEmpty()) {
            return consumed.stream().sorted().map(role -> name(topics, role)).toList();
        }
        List<String> names = new ArrayList<>();
        for (String given : new LinkedHashSet<>(topicNames)) {
            TopicRole role = switch (given) {
                case "sessions" -> TopicRole.SESSIONS;
                case "interactions" -> TopicRole.INTERACTIONS;
                case "evaluations" -> TopicRole.EVALUATIONS;
                default -> throw bad("--topic '" + given + "' is not sessions, interactions or evaluations");
            };
            if (!consumed.contains(role)) {
                throw bad("--topic " + given + ": " + sink.cliName() + " does not consume it");
            }
            names.add(name(topics, role));
        }
        return names;
    }

    private static String name(PersistenceTopics topics, TopicRole role) {
        return switch (role) {
            case SESSIONS -> topics.sessions().name();
            case INTERACTIONS -> topics.interactions().name();
            default -> topics.evaluations().name();
        };
    }

    private ReplayCheckpoint plan(AdminReader kafka, List<String> names, String job) {
        List<TopicPartition> partitions = kafka.partitions(names);
        if (partitions.isEmpty()) {
            throw new IllegalStateException("no topic " + names.getFirst() + ": run topics create");
        }
        Map<TopicPartition, Long> earliest = kafka.earliest(partitions);
        Map<TopicPartition, Long> latest = kafka.latest(partitions);
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, Long> last = new HashMap<>();
        if (offsets != null) {
            Map<Integer, OffsetRanges.Range> ranges;
            try {
                ranges = OffsetRanges.parse(offsets);
            } catch (IllegalArgumentException e) {
                throw bad("--offsets: " + e.getMessage());
            }
            for (TopicPartition tp : partitions) {
                OffsetRanges.Range range = ranges.get(tp.partition());
                first.put(tp, range == null ? latest.get(tp) : Math.max(range.from(), earliest.get(tp)));
                last.put(tp, range == null ? latest.get(tp) : Math.min(range.to(), latest.get(tp)));
            }
            ranges.keySet().stream().filter(p -> partitions.stream().noneMatch(tp -> tp.partition() == p)).findFirst()
                    .ifPresent(p -> {
                        throw bad("--offsets: " + names.getFirst() + " has no partition " + p);
                    });
        } else {
            first.putAll(from == null ? earliest : kafka.at(partitions, from));
            last.putAll(to == null ? latest : kafka.at(partitions, to));
        }
        first.replaceAll((tp, offset) -> Math.min(offset, last.get(tp)));
        return new ReplayCheckpoint(job, PartitionKeys.keyed(first), PartitionKeys.keyed(last), Map.of(), false,
                Instant.now());
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** One run: reads the range from the checkpoint on, writes (or judges) batch by batch, checkpoints, sums up. */
    private final class Run {
        private final Config config;
        private final AdminReader kafka;
        private final PersistenceTopics topics;
        private final TopicIncarnations incarnations;
        private final ReplaySink target;
        private final CheckpointFile checkpoints;
        private final ReplayCheckpoint start;
        private final PrintWriter out;
        private final Set<String> only;
        private final Map<String, Long> counters = new HashMap<>();
        private final Map<String, Long> next;
        private final List<SourcedEvent> batch = new ArrayList<>();
        private final List<Long> lags = new ArrayList<>();
        private final Map<String, Integer> partitionCounts = new HashMap<>();
        private long handled;

        Run(Config config, AdminReader kafka, PersistenceTopics topics, TopicIncarnations incarnations,
            ReplaySink target, CheckpointFile checkpoints, ReplayCheckpoint start, PrintWriter out) {
            this.config = config;
            this.kafka = kafka;
            this.topics = topics;
            this.incarnations = incarnations;
            this.target = target;
            this.checkpoints = checkpoints;
            this.start = start;
            this.out = out;
            this.only = Set.copyOf(sessions);
            this.counters.putAll(start.counters());
            this.next = new HashMap<>(start.next());
            PartitionKeys.partitions(start.end()).keySet().forEach(tp -> partitionCounts.merge(tp.topic(), 1,
                    Integer::sum));
        }

        int execute() throws Exception {
            long begun = System.nanoTime();
            long done = counters.values().stream().mapToLong(Long::longValue).sum();
            lags.add(liveLag());
            RateLimit pace = RateLimit.perSecond(rate);
            StopSignal stop = StopSignal.onShutdown();
            try {
                try (RangeReader reader = new RangeReader(KafkaClients.common(config, "replay"), BATCH);
                     Progress progress = Progress.start(dryRun ? "judging" : "replaying", start.remaining() + done,
                             done, "events")) {
                    long[] lastCheckpoint = {System.currentTimeMillis()};
                    reader.read(PartitionKeys.partitions(start.next()), PartitionKeys.partitions(start.end()), stop,
                            new RangeReader.Handler() {
                                @Override
                                public void record(ConsumerRecord<byte[], byte[]> r) throws Exception {
                                    take(r, pace);
                                    progress.stepBy(1);
                                    if (++handled == (limit == null ? -1 : limit)) {
                                        stop.stop("limit");
                                    }
                                }

                                @Override
                                public void polled(Map<TopicPartition, Long> positions) throws Exception {
                                    writeBatch();
                                    positions.forEach((tp, offset) -> next.put(PartitionKeys.key(tp), offset));
                                    if (System.currentTimeMillis() - lastCheckpoint[0] >= CHECKPOINT_EVERY_MS) {
                                        checkpoint(false);
                                        lags.add(liveLag());
                                        lastCheckpoint[0] = System.currentTimeMillis();
                                    }
                                }
                            }).forEach((tp, offset) -> next.put(PartitionKeys.key(tp), offset));
                    writeBatch();
                }
                boolean complete = new ReplayCheckpoint(start.job(), next, start.end(), counters, false,
                        Instant.now()).remaining() == 0;
                checkpoint(complete);
                lags.add(liveLag());
                summary(begun, complete, stop);
                return complete ? 0 : stop.interrupted() ? ExportCommand.INTERRUPTED : ExportCommand.INCOMPLETE;
            } finally {
                stop.close();
            }
        }

        private void take(ConsumerRecord<byte[], byte[]> r, RateLimit pace) throws Exception {
            String session = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (!only.isEmpty() && !only.contains(session)) {
                count("not selected");
                return;
            }
            EventEnvelope event;
            try {
                event = EventCodec.decode(r.value());
                ContractPartitioner.check(r.topic(), r.partition(), r.offset(), event.sessionId(),
                        partitionCounts.get(r.topic()));
            } catch (RuntimeException e) {
                count("unreadable"); // the live app dead-lettered it: dlq redrive is its way back
                return;
            }
            if (!dryRun) {
                pace.acquire();
            }
            batch.add(new SourcedEvent(event, event.type().topic(), r.topic(), r.partition(), r.offset(),
                    incarnations.of(r.topic())));
        }

        private void writeBatch() throws Exception {
            if (batch.isEmpty()) {
                return;
            }
            Map<Outcome, Long> outcomes = dryRun ? target.judge(batch) : target.write(batch);
            outcomes.forEach((outcome, n) -> counters.merge(outcome.name().toLowerCase(Locale.ROOT), n, Long::sum));
            batch.clear();
        }

        private void checkpoint(boolean complete) throws Exception {
            if (dryRun) {
                return;
            }
            target.flush();
            checkpoints.save(new ReplayCheckpoint(start.job(), next, start.end(), counters, complete, Instant.now()));
        }

        private void count(String what) {
            counters.merge(what, 1L, Long::sum);
        }

        /** The live consumer group's lag on the replayed topics: end offsets minus its committed offsets. */
        private long liveLag() {
            Map<TopicPartition, Long> committed = kafka.committed(sink.groupId(config));
            List<TopicPartition> partitions = PartitionKeys.partitions(start.end()).keySet().stream().toList();
            return kafka.latest(partitions).entrySet().stream().mapToLong(e -> Math.max(0,
                    e.getValue() - committed.getOrDefault(e.getKey(), e.getValue()))).sum();
        }

        private void summary(long begun, boolean complete, StopSignal stop) {
            double seconds = (System.nanoTime() - begun) / 1e9;
            SummaryTable table = new SummaryTable(dryRun ? "would be" : "events", "count");
            for (Outcome outcome : Outcome.values()) {
                table.row(outcome.name().toLowerCase(Locale.ROOT), counters.getOrDefault(
                        outcome.name().toLowerCase(Locale.ROOT), 0L));
            }
            table.row("unreadable (dead-lettered)", counters.getOrDefault("unreadable", 0L));
            if (!only.isEmpty()) {
                table.row("other sessions", counters.getOrDefault("not selected", 0L));
            }
            table.print(out);
            out.printf(Locale.ROOT, "%nthis run: %,d events in %.1f s (%,.1f events/s; %s)%n", handled, seconds,
                    handled / Math.max(seconds, 1e-3), rate == 0 ? "no rate limit"
                            : String.format(Locale.ROOT, "limit %,.0f events/s", rate));
            out.printf(Locale.ROOT, "live %s lag: %,d before, %,d at most while replaying, %,d after%n",
                    sink.groupId(config), lags.getFirst(), lags.stream().mapToLong(Long::longValue).max()
                            .orElse(0), lags.getLast());
            if (dryRun) {
                out.println("dry run: nothing was written");
            } else {
                out.println(complete ? "complete" : "stopped (" + stop.reason().orElse("") + "): run the same "
                        + "command again to resume from " + checkpoints.path());
            }
            out.flush();
        }
    }
}
