package dev.mtp.benchmarks;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.embedded.MongoStandIn;
import dev.mtp.mongowriter.document.DocumentIndexes;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.mongowriter.store.MongoBatchWriter;
import dev.mtp.mongowriter.store.MongoWriteKeys;
import dev.mtp.runtime.consume.SourcedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.Uuid;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * mongo-writer's batch writer alone (no Kafka, no JVM start-up) beside the bare loop's write pattern, on the
 * benchmark's events in polls of 1,000 records over 6 partitions, written into the stand-in in this JVM, alternately
 * round by round after a warm-up. Prints events/s and CPU per event, split between the stand-in's threads, the
 * writer's (and driver's) threads and the rest of the JVM (GC, JIT). A command, not a test:
 * {@code java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar dev.mtp.benchmarks.WriterOnlyBenchmark
 * [--events 20000] [--sessions N] [--rounds 3] [--summary-window-ms 10000] [--guard-indexes true] [--only bare|writer]}.
 */
public final class WriterOnlyBenchmark {
    private static final int POLL = 1_000;

    private WriterOnlyBenchmark() {}

    /** One way of writing the polls, into a fresh database. */
    private record Contender(String name, Function<MongoDatabase, Run> start) {}

    /** A contender writing into one database: each poll, then what it held back. */
    @FunctionalInterface
    private interface Run extends AutoCloseable {
        void poll(List<SourcedEvent> records) throws Exception;

        default void finish() throws Exception {
        }

        @Override
        default void close() {
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].substring(2), args[i + 1]);
        }
        int events = Integer.parseInt(options.getOrDefault("events", "20000"));
        int sessions = Integer.parseInt(options.getOrDefault("sessions", Integer.toString(Math.max(1, events / 40))));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int windowMs = Integer.parseInt(options.getOrDefault("summary-window-ms", "10000"));
        String only = options.getOrDefault("only", "");
        // false: as against mongod (app.mongo-writer.guard-indexes); the stand-in then scans for a guarded update.
        boolean guardIndexes = Boolean.parseBoolean(options.getOrDefault("guard-indexes", "true"));
        List<SourcedEvent> data = sourced(BenchData.interactions(events, sessions, 42), 6);
        List<Contender> contenders = new ArrayList<>();
        if (!only.equals("writer")) {
            contenders.add(bare());
        }
        if (!only.equals("bare")) {
            contenders.add(writer(windowMs, guardIndexes));
        }
        System.out.printf(Locale.ROOT, "Writers alone: %,d interaction events of %,d sessions, polls of 1,000 records, "
                + "6 partitions, stand-in in this JVM;%n  CPU per event = stand-in + writer + rest of the JVM (GC, JIT); "
                + "bytes allocated by stand-in + writer%n", events, sessions);
        try (MongoStandIn standIn = MongoStandIn.inMemory(0); MongoClient client = MongoClients.create(standIn.connectionString())) {
            for (int round = 0; round <= rounds; round++) {
                for (Contender contender : contenders) {
                    MongoDatabase db = client.getDatabase("w" + round + "_" + contender.name().replace(' ', '_'));
                    try (Run run = contender.start().apply(db)) {
                        ThreadUsage before = ThreadUsage.now();
                        long start = System.nanoTime();
                        for (int from = 0; from < data.size(); from += POLL) {
                            run.poll(data.subList(from, Math.min(data.size(), from + POLL)));
                        }
                        run.finish();
                        double seconds = (System.nanoTime() - start) / 1e9;
                        ThreadUsage.Split used = ThreadUsage.now().since(before);
                        System.out.printf(Locale.ROOT, "  %-8s %-22s %,7.0f events/s, CPU %4.0f µs/event = %3.0f stand-in"
                                        + " + %3.0f writer + %3.0f rest; allocated %,6.0f + %,6.0f bytes/event%n",
                                round == 0 ? "warm-up" : "round " + round, contender.name(), events / seconds,
                                perEvent(used.totalCpu(), events), perEvent(used.standInCpu(), events),
                                perEvent(used.otherThreadsCpu(), events), perEvent(used.restCpu(), events),
                                (double) used.standInBytes() / events, (double) used.otherThreadsBytes() / events);
                    }
                    checkWritten(db, events);
                    db.drop();
                }
            }
        }
    }

    /** A figure means nothing if the writes did not land: every interaction, and counted once where counted. */
    private static void checkWritten(MongoDatabase db, int events) {
        long documents = db.getCollection("interactions").countDocuments();
        long counted = 0;
        boolean summaries = false;
        for (Document session : db.getCollection("sessions").find()) {
            counted += session.getInteger("interactionCount", 0);
            summaries = true;
        }
        if (documents != events || (summaries && counted != events)) {
            throw new IllegalStateException(db.getName() + ": " + documents + " interaction documents, sessions count "
                    + counted + ", of " + events + " events");
        }
    }

    private static double perEvent(double seconds, int events) {
        return seconds * 1e6 / events;
    }

    /** The bare loop's pattern ({@link BareLoop}): one unordered bulk of replace-upserts per poll, no indexes. */
    private static Contender bare() {
        UserMapCodec codec = new UserMapCodec(32);
        BulkWriteOptions unordered = new BulkWriteOptions().ordered(false);
        return new Contender("bare loop", db -> {
            MongoCollection<Document> target = db.getCollection("interactions").withWriteConcern(WriteConcern.MAJORITY);
            return records -> {
                List<WriteModel<Document>> models = new ArrayList<>(records.size());
                records.forEach(r -> models.add(BareWrite.of(r.event(), codec)));
                target.bulkWrite(models, unordered);
            };
        });
    }

    /** mongo-writer's {@link MongoBatchWriter} as deployed: 2 write threads, summaries held back. */
    private static Contender writer(int windowMs, boolean guardIndexes) {
        return new Contender("mongo-writer " + windowMs + " ms", db -> {
            DocumentIndexes.ensure(db, guardIndexes);
            MongoBatchWriter writer = new MongoBatchWriter(db, new MongoBatchWriter.Settings(16_777_216, 32, 5,
                    WriteConcern.MAJORITY, 200_000, 2, Duration.ofMillis(windowMs),
                    MongoWriteKeys.SUMMARY_WINDOW_EVENTS.defaultValue().orElseThrow()), new SimpleMeterRegistry(),
                    Clock.systemUTC());
            return new Run() {
                @Override
                public void poll(List<SourcedEvent> records) throws Exception {
                    writer.write(records);
                    if (writer.pending() > 0 && writer.flushDue()) {
                        writer.flush();
                    }
                }

                @Override
                public void finish() throws Exception {
                    if (writer.pending() > 0) {
                        writer.flush();
                    }
                }

                @Override
                public void close() {
                    writer.close();
                }
            };
        });
    }

    /**
     * Keyed like the topic: a session's events on one partition, offsets in order per partition, all of one
     * incarnation of the topic (as a consume loop reads them), so nothing supersedes anything.
     */
    private static List<SourcedEvent> sourced(List<EventEnvelope> events, int partitions) {
        Incarnation incarnation = Incarnation.ofTopicId(Uuid.randomUuid().toString());
        long[] next = new long[partitions];
        List<SourcedEvent> out = new ArrayList<>(events.size());
        for (EventEnvelope e : events) {
            int p = Math.floorMod(e.sessionId().hashCode(), partitions);
            out.add(new SourcedEvent(e, TopicRole.INTERACTIONS, "bench.interactions.v1", p, next[p]++, incarnation));
        }
        return out;
    }
}
