package dev.mtp.ops;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.Masking;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InvalidEventException;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.mongostore.MongoSettings;
import dev.mtp.ops.imports.EntityKind;
import dev.mtp.ops.imports.FieldMapping;
import dev.mtp.ops.imports.ImportCheckpoint;
import dev.mtp.ops.imports.ImportEvents;
import dev.mtp.ops.imports.ImportPublisher;
import dev.mtp.ops.imports.ImportSource;
import dev.mtp.ops.imports.ImportVerification;
import dev.mtp.ops.imports.JsonlSource;
import dev.mtp.ops.imports.MongoSource;
import dev.mtp.ops.imports.PublishedImports;
import dev.mtp.ops.imports.RejectFile;
import dev.mtp.ops.imports.SourceRecord;
import dev.mtp.ops.kafka.AdminReader;
import dev.mtp.ops.kafka.PartitionKeys;
import dev.mtp.ops.run.CheckpointFile;
import dev.mtp.ops.run.Progress;
import dev.mtp.ops.run.RateLimit;
import dev.mtp.ops.run.StopSignal;
import dev.mtp.ops.run.SummaryTable;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "import", description = {
        "Move an existing single-tier system's sessions, interactions and evaluations in (the seed's Migration Guide, "
                + "phases 2 to 4): read them from JSON Lines files or MongoDB collections, map their fields, check "
                + "them as the ingest checks a request, and publish them as events, in that order.",
        "Re-running it publishes nothing twice: each record's event id follows from what it is (a session's id, an "
                + "interaction's session and id, an evaluation's id or data), and a run first looks on the topics for "
                + "the events imports published (docs/decisions/0019-ops-import-redrive-replay.md).",
        "Resumable: a checkpoint in --work-dir records how far it got; the same command run again after Ctrl-C, "
                + "--limit or a crash carries on from there. Refused records go to <work-dir>/rejects.jsonl with the "
                + "field and rule they break.",
        "--verify publishes nothing: it compares the documents in MongoDB with the source and lists what is missing "
                + "or differs.",
        "Exit code 0: complete (or, with --verify, everything landed); 3: --verify found documents missing or "
                + "different; 4: stopped at --limit; 130: interrupted; run again to resume."})
final class ImportCommand implements Callable<Integer> {

    /** Exit code of --verify when documents are missing or differ. */
    static final int DIFFERENCES = 3;
    private static final long CHECKPOINT_EVERY_MS = 2_000;
    private static final int SHOWN_REJECTS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--sessions", paramLabel = "SOURCE",
            description = "The sessions: a JSON Lines file, or with --from-mongo a collection.")
    String sessions;

    @Option(names = "--interactions", paramLabel = "SOURCE",
            description = "The interactions: a JSON Lines file, or with --from-mongo a collection.")
    String interactions;

    @Option(names = "--evaluations", paramLabel = "SOURCE",
            description = "The evaluations: a JSON Lines file, or with --from-mongo a collection.")
    String evaluations;

    @Option(names = "--from-mongo", paramLabel = "URI", description = "Read the sources as collections of the "
            + "database this MongoDB URI names (mongodb://host/olddb), in _id order.")
    String fromMongo;

    @Option(names = "--mapping", paramLabel = "FILE", description = "A JSON file mapping each kind's fields to paths "
            + "in the old records: {\"sessions\": {\"sessionId\": \"_id\", \"userId\": \"user.id\", \"occurredAt\": "
            + "\"created\"}}. Unmapped fields are read by their own name.")
    Path mapping;

    @Option(names = "--session-strategy", paramLabel = "STRATEGY", description = "The cache strategy of imported "
            + "sessions that name none: ${COMPLETION-CANDIDATES}. Required with --sessions.")
    SessionCacheStrategy sessionStrategy;

    @Option(names = "--interaction-strategy", paramLabel = "STRATEGY", description = "The cache strategy of imported "
            + "interactions that name none: ${COMPLETION-CANDIDATES}. Required with --interactions.")
    InteractionCacheStrategy interactionStrategy;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "2000", description = "Publish at most N events a "
            + "second (default ${DEFAULT-VALUE}; 0: no limit): the writers take them beside live traffic.")
    double rate;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "mtp-import", description = "Where the "
            + "checkpoint and the reject file are kept (default ./${DEFAULT-VALUE}; created).")
    Path workDir;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N records in this run, with a checkpoint; "
            + "the next run resumes.")
    Long limit;

    @Option(names = "--dry-run", description = "Read and check everything, look for what was published already, and "
            + "count what would be published and refused; publish and write nothing.")
    boolean dryRun;

    @Option(names = "--restart", description = "Forget the checkpoint and the reject file and read the sources from "
            + "the start (what was published is still found on the topics, and not published again).")
    boolean restart;

    @Option(names = "--verify", description = "Compare the documents in MongoDB with the source; publish nothing.")
    boolean verify;

    @Override
    public Integer call() throws Exception {
        Map<EntityKind, String> sources = checkArguments();
        FieldMapping fields = readMapping();
        Config config = OpsCli.config();
        PrintWriter out = spec.commandLine().getOut();
        ImportEvents events = new ImportEvents(sessionStrategy, interactionStrategy, InputLimits.DEFAULTS,
                "mtp-ops-import@" + KafkaClients.hostName(), Clock.systemUTC());
        try (MongoClient old = fromMongo == null ? null : MongoClients.create(fromMongo)) {
            Sources opened = new Sources(sources, old == null ? null
                    : old.getDatabase(new ConnectionString(fromMongo).getDatabase()));
            if (verify) {
                return verify(config, opened, fields, events, out);
            }
            String job = "import of " + sources + " from " + (fromMongo == null ? "JSON Lines files"
                    : Masking.maskUris(fromMongo)) + " mapped " + fields.describe() + " strategies "
                    + sessionStrategy + "/" + interactionStrategy;
            return new Run(config, opened, fields, events, job, out).execute();
        }
    }

    private Map<EntityKind, String> checkArguments() {
        Map<EntityKind, String> sources = new EnumMap<>(EntityKind.class);
        if (sessions != null) sources.put(EntityKind.SESSIONS, sessions);
        if (interactions != null) sources.put(EntityKind.INTERACTIONS, interactions);
        if (evaluations != null) sources.put(EntityKind.EVALUATIONS, evaluations);
        if (sources.isEmpty()) {
            throw bad("give at least one of --sessions, --interactions, --evaluations");
        }
        if (sessions != null && sessionStrategy == null) {
            throw bad("--session-strategy is required with --sessions: choose the imported sessions' cache strategy");
        }
        if (interactions != null && interactionStrategy == null) {
            throw bad("--interaction-strategy is required with --interactions: choose the imported interactions' "
                    + "cache strategy");
        }
        if (rate < 0) {
            throw bad("--rate: must be 0 (no limit) or more, was " + rate);
        }
        if (limit != null && limit < 1) {
            throw bad("--limit: must be at least 1, was " + limit);
        }
        if (verify && (dryRun || restart || limit != null)) {
            throw bad("--verify publishes nothing: it takes no --dry-run, --restart or --limit");
        }
        if (dryRun && restart) {
            throw bad("--dry-run and --restart: a dry run changes nothing, so it cannot restart");
        }
        if (fromMongo != null) {
            try {
                if (new ConnectionString(fromMongo).getDatabase() == null) {
                    throw bad("--from-mongo: name the old system's database in the URI (mongodb://host/olddb)");
                }
            } catch (IllegalArgumentException e) {
                throw bad("--from-mongo: not a MongoDB URI (" + Masking.maskUris(e.getMessage()) + ")");
            }
        } else {
            sources.forEach((kind, file) -> {
                if (!Files.isRegularFile(Path.of(file))) {
                    throw bad("--" + kind.cliName() + ": no file " + file);
                }
            });
        }
        return sources;
    }

    private FieldMapping readMapping() {
        if (mapping == null) {
            return FieldMapping.identity();
        }
        try {
            return FieldMapping.read(mapping);
        } catch (IllegalArgumentException e) {
            throw bad("--mapping " + e.getMessage());
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The sources of the kinds given, opened at a position. */
    private record Sources(Map<EntityKind, String> names, MongoDatabase old) {
        ImportSource open(EntityKind kind, String position) throws Exception {
            String name = names.get(kind);
            return old == null ? new JsonlSource(Path.of(name), position)
                    : new MongoSource(old.getCollection(name), position);
        }
    }

    private int verify(Config config, Sources sources, FieldMapping fields, ImportEvents events, PrintWriter out)
            throws Exception {
        ConnectionString uri = new ConnectionString(config.get(CommonConfigKeys.MONGODB_URI).toString());
        try (MongoClient mongo = MongoClients.create(MongoSettings.builder(config, uri).build());
             StopSignal stop = StopSignal.onShutdown()) {
            ImportVerification verification = new ImportVerification(
                    mongo.getDatabase(config.get(CommonConfigKeys.MONGODB_DATABASE)));
            for (EntityKind kind : sources.names().keySet()) {
                try (ImportSource source = sources.open(kind, null);
                     Progress progress = Progress.start("verifying " + kind.cliName(), source.size(), "records")) {
                    for (SourceRecord r = source.next(); r != null && !stop.stopRequested(); r = source.next()) {
                        progress.stepBy(1);
                        Optional<EventEnvelope> event = event(kind, r, fields, events);
                        if (event.isPresent()) {
                            verification.check(kind, event.get());
                        } else {
                            verification.refused(kind);
                        }
                    }
                    verification.finish();
                }
            }
            verification.print(out);
            if (stop.interrupted()) {
                return ExportCommand.INTERRUPTED;
            }
            return verification.allLanded() ? 0 : DIFFERENCES;
        }
    }

    private static Optional<EventEnvelope> event(EntityKind kind, SourceRecord r, FieldMapping fields,
                                                 ImportEvents events) {
        if (r.fields() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(events.toEvent(kind, fields.apply(kind, r.fields())));
        } catch (InvalidInputException | InvalidEventException e) {
            return Optional.empty();
        }
    }

    /** One run of the import: finds what was published, reads on from the checkpoint, publishes, checkpoints. */
    private final class Run {
        private final Config config;
        private final Sources sources;
        private final FieldMapping fields;
        private final ImportEvents events;
        private final String job;
        private final PrintWriter out;
        private final PersistenceTopics topics;
        private final CheckpointFile checkpoints;
        private final Path rejectPath;
        private final Map<String, String> positions = new HashMap<>();
        private final Map<String, Boolean> finished = new HashMap<>();
        private final Map<String, Long> counters = new HashMap<>();
        private final Map<String, Long> atStart = new HashMap<>();
        private final List<String> shownRejects = new ArrayList<>();
        private Map<String, Long> offsets = Map.of();
        private long handled;

        Run(Config config, Sources sources, FieldMapping fields, ImportEvents events, String job, PrintWriter out) {
            this.config = config;
            this.sources = sources;
            this.fields = fields;
            this.events = events;
            this.job = job;
            this.out = out;
            this.topics = PipelineTopics.of(config);
            this.checkpoints = new CheckpointFile(workDir.resolve("checkpoint.json"));
            this.rejectPath = workDir.resolve("rejects.jsonl");
        }

        int execute() throws Exception {
            if (!dryRun) {
                Files.createDirectories(workDir);
            }
            if (restart) {
                checkpoints.delete();
                Files.deleteIfExists(rejectPath);
            }
            Optional<ImportCheckpoint> saved = checkpoints.load(ImportCheckpoint.class);
            if (saved.isPresent() && !saved.get().job().equals(job)) {
                throw bad("--work-dir: " + checkpoints.path() + " is the checkpoint of another import ("
                        + saved.get().job() + "): pass --restart to start this one over it, or choose another "
                        + "--work-dir");
            }
            if (saved.isPresent() && saved.get().complete()) {
                out.printf(Locale.ROOT, "already complete: %,d events published (%s); --restart reads the sources "
                        + "again%n", total(saved.get(), "published"), checkpoints.path());
                return 0;
            }
            saved.ifPresent(c -> {
                positions.putAll(c.positions());
                finished.putAll(c.finished());
                counters.putAll(c.counters());
            });
            atStart.putAll(counters);
            long begun = System.nanoTime();
            // closed only after the summary: a Ctrl-C's shutdown waits until the checkpoint and summary are out
            StopSignal stop = StopSignal.onShutdown();
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                List<TopicPartition> partitions = kafka.partitions(topics.eventTopics().stream()
                        .map(t -> t.name()).toList());
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("no topic " + topics.sessions().name() + ": run topics create");
                }
                Set<UUID> published = PublishedImports.find(KafkaClients.common(config, "import-scan"),
                        saved.map(c -> PartitionKeys.partitions(c.offsets())).orElseGet(() -> kafka.earliest(partitions)),
                        kafka.latest(partitions), stop);
                boolean complete = publish(kafka, partitions, published, saved.map(ImportCheckpoint::rejectBytes)
                        .orElse(0L), stop);
                summary(begun, complete, stop);
                return complete ? 0 : stop.interrupted() ? ExportCommand.INTERRUPTED : ExportCommand.INCOMPLETE;
            } finally {
                stop.close();
            }
        }

        private boolean publish(AdminReader kafka, List<TopicPartition> partitions, Set<UUID> published,
                                long rejectBytes, StopSignal stop) throws Exception {
            RateLimit pace = RateLimit.perSecond(rate);
            try (ImportPublisher publisher = dryRun ? null : new ImportPublisher(KafkaClients.producer(config), topics);
                 RejectFile rejects = dryRun ? null : RejectFile.open(rejectPath, rejectBytes)) {
                long lastCheckpoint = System.currentTimeMillis();
                for (EntityKind kind : sources.names().keySet()) {
                    if (finished.getOrDefault(kind.cliName(), false)) {
                        continue;
                    }
                    try (ImportSource source = sources.open(kind, positions.get(kind.cliName()));
                         Progress progress = Progress.start("importing " + kind.cliName(), source.size(),
                                 count(kind, "read"), "records")) {
                        boolean exhausted = false;
                        while (!stop.stopRequested() && !exhausted) {
                            SourceRecord r = source.next();
                            if (r == null) {
                                exhausted = true;
                                continue;
                            }
                            handle(kind, r, published, publisher, rejects, pace);
                            positions.put(kind.cliName(), source.position());
                            progress.stepBy(1);
                            if (limit != null && ++handled >= limit) {
                                stop.stop("limit");
                            }
                            if (!dryRun && System.currentTimeMillis() - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
                                checkpoint(kafka, partitions, publisher, rejects, false);
                                lastCheckpoint = System.currentTimeMillis();
                            }
                        }
                        finished.put(kind.cliName(), exhausted);
                    }
                    if (stop.stopRequested()) {
                        break;
                    }
                }
                boolean complete = sources.names().keySet().stream()
                        .allMatch(k -> finished.getOrDefault(k.cliName(), false));
                if (!dryRun) {
                    checkpoint(kafka, partitions, publisher, rejects, complete);
                }
                return complete;
            }
        }

        private void handle(EntityKind kind, SourceRecord r, Set<UUID> published, ImportPublisher publisher,
                            RejectFile rejects, RateLimit pace) throws Exception {
            count(kind, "read", 1);
            EventEnvelope event;
            try {
                if (r.fields() == null) {
                    throw new InvalidInputException("(record)", r.unreadable());
                }
                event = events.toEvent(kind, fields.apply(kind, r.fields()));
            } catch (InvalidInputException | InvalidEventException e) {
                count(kind, "rejected", 1);
                if (dryRun) {
                    if (shownRejects.size() < SHOWN_REJECTS) {
                        shownRejects.add(r.where() + ": " + e.getMessage());
                    }
                } else {
                    rejects.reject(r, e.getMessage());
                }
                return;
            }
            if (!published.add(event.eventId())) {
                count(kind, "already", 1);
                return;
            }
            count(kind, "published", 1);
            if (!dryRun) {
                pace.acquire();
                publisher.send(event);
            }
        }

        private void checkpoint(AdminReader kafka, List<TopicPartition> partitions, ImportPublisher publisher,
                                RejectFile rejects, boolean complete) throws Exception {
            publisher.flush();
            long rejectBytes = rejects.sync();
            offsets = PartitionKeys.keyed(kafka.latest(partitions));
            checkpoints.save(new ImportCheckpoint(job, positions, finished, offsets, counters, rejectBytes, complete,
                    Instant.now()));
        }

        private long count(EntityKind kind, String what) {
            return counters.getOrDefault(kind.cliName() + "." + what, 0L);
        }

        private void count(EntityKind kind, String what, long n) {
            counters.merge(kind.cliName() + "." + what, n, Long::sum);
        }

        private long total(ImportCheckpoint checkpoint, String what) {
            return java.util.Arrays.stream(EntityKind.values()).mapToLong(k -> checkpoint.counter(k, what)).sum();
        }

        private void summary(long begun, boolean complete, StopSignal stop) {
            double seconds = (System.nanoTime() - begun) / 1e9;
            SummaryTable table = new SummaryTable("", "read", dryRun ? "would publish" : "published",
                    "already published", "refused");
            long thisRun = 0;
            for (EntityKind kind : sources.names().keySet()) {
                table.row(kind.cliName(), count(kind, "read"), count(kind, "published"), count(kind, "already"),
                        count(kind, "rejected"));
                thisRun += count(kind, "read") - atStart.getOrDefault(kind.cliName() + ".read", 0L);
            }
            table.print(out);
            out.printf(Locale.ROOT, "%nthis run: %,d records in %.1f s (%,.1f records/s; %s)%n",
                    thisRun, seconds, thisRun / Math.max(seconds, 1e-3), rate == 0 ? "no rate limit"
                            : String.format(Locale.ROOT, "limit %,.0f events/s", rate));
            shownRejects.forEach(line -> out.println("would refuse " + line));
            long refused = sources.names().keySet().stream().mapToLong(k -> count(k, "rejected")).sum();
            if (dryRun) {
                out.println("dry run: nothing was published or written");
            } else if (refused > 0) {
                out.printf(Locale.ROOT, "%,d records refused, each with its reason, in %s%n", refused, rejectPath);
            }
            if (!dryRun) {
                out.println(complete ? "complete: run with --verify once the writers have caught up"
                        : "stopped (" + stop.reason().orElse("") + "): run the same command again to resume from "
                        + checkpoints.path());
            }
            out.flush();
        }
    }
}
