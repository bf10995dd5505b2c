package dev.mtp.benchmarks;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.embedded.MongoStandIn;
import dev.mtp.mongowriter.document.DocumentIndexes;
import dev.mtp.mongowriter.store.MongoBatchWriter;
import dev.mtp.runtime.consume.SourcedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * mongo-writer's batch writer alone (no Kafka, no JVM start-up): the benchmark's events, in polls of 1,000 records
 * over 6 partitions, written into the stand-in in this JVM, once with every summary written with its poll
 * ({@code summary-window-ms=0}) and once held back (the default window), alternately, after a warm-up. Prints
 * events/s and CPU per event (writer and stand-in together) for each. A command, not a test:
 * {@code java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar dev.mtp.benchmarks.WriterOnlyBenchmark
 * [--events 20000] [--sessions N] [--rounds 3]}.
 */
public final class WriterOnlyBenchmark {
    private WriterOnlyBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].substring(2), args[i + 1]);
        }
        int events = Integer.parseInt(options.getOrDefault("events", "20000"));
        int sessions = Integer.parseInt(options.getOrDefault("sessions", Integer.toString(Math.max(1, events / 40))));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int windowMs = Integer.parseInt(options.getOrDefault("summary-window-ms", "10000"));
        List<SourcedEvent> data = sourced(BenchData.interactions(events, sessions, 42), 6);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "mongo-writer's batch writer alone: %,d interaction events of %,d sessions, polls of "
                + "1,000 records, 6 partitions, stand-in in this JVM; window %d ms vs 0%n", events, sessions, windowMs);
        try (MongoStandIn standIn = MongoStandIn.inMemory(0); MongoClient client = MongoClients.create(standIn.connectionString())) {
            for (int round = 0; round <= rounds; round++) {
                for (int window : new int[] {0, windowMs}) {
                    MongoDatabase db = client.getDatabase("w" + round + "_" + window);
                    DocumentIndexes.ensure(db, true);
                    try (MongoBatchWriter writer = new MongoBatchWriter(db, new MongoBatchWriter.Settings(16_777_216, 32, 5,
                            WriteConcern.MAJORITY, 200_000, 2, Duration.ofMillis(window), 50_000), new SimpleMeterRegistry(),
                            Clock.systemUTC())) {
                        long cpu = os.getProcessCpuTime();
                        long start = System.nanoTime();
                        for (int from = 0; from < data.size(); from += 1_000) {
                            writer.write(data.subList(from, Math.min(data.size(), from + 1_000)));
                            if (writer.pending() > 0 && writer.flushDue()) {
                                writer.flush();
                            }
                        }
                        if (writer.pending() > 0) {
                            writer.flush();
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
                        System.out.printf(Locale.ROOT, "  %s window %5d ms: %,7.0f events/s, CPU %4.0f µs/event%n",
                                round == 0 ? "warm-up" : "round " + round, window, events / seconds, cpuSeconds * 1e6 / events);
                    }
                    db.drop();
                }
            }
        }
    }

    /** Keyed like the topic: a session's events on one partition, offsets in order per partition. */
    private static List<SourcedEvent> sourced(List<EventEnvelope> events, int partitions) {
        long[] next = new long[partitions];
        List<SourcedEvent> out = new ArrayList<>(events.size());
        for (EventEnvelope e : events) {
            int p = Math.floorMod(e.sessionId().hashCode(), partitions);
            out.add(new SourcedEvent(e, TopicRole.INTERACTIONS, "bench.interactions.v1", p, next[p]++));
        }
        return out;
    }
}
