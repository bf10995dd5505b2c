package dev.mtp.chaos.run;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.mtp.chaos.check.Checker;
import dev.mtp.chaos.check.Finding;
import dev.mtp.chaos.io.StoreReader;
import dev.mtp.chaos.io.TopicReader;
import dev.mtp.chaos.model.ContractFold;
import dev.mtp.chaos.model.Expected;
import dev.mtp.chaos.model.TopicRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run: the stack with N instances of every app, traffic, the regression watcher and freshness probes, the
 * fault schedule; then, with the traffic stopped and the pipeline drained, the independent checker's verdict.
 */
final class ChaosRun {

    /** Keys this close to their expiry at the final read are not judged (they may expire between SCAN and GET). */
    private static final long SETTLE_MILLIS = 5_000;
    private static final String DATABASE = "mtp";

    private final Path repo;
    private final Options options;

    ChaosRun(Path repo, Options options) {
        this.repo = repo;
        this.options = options;
    }

    Report run() throws Exception {
        long runStart = System.nanoTime();
        Path runDir = options.out().toAbsolutePath().resolve("stack");
        deleteRecursively(runDir);
        Recorder recorder = new Recorder();
        try (Stack stack = new Stack(repo, runDir, options.partitions())) {
            log("starting Kafka, Redis, the MongoDB stand-in in " + runDir);
            stack.startServers(Duration.ofSeconds(120));
            stack.createTopics(Duration.ofSeconds(120));
            for (String app : Stack.APPS) {
                for (int i = 0; i < options.instances(); i++) {
                    stack.addInstance(app);
                }
            }
            for (String app : Stack.APPS) {
                for (Stack.Instance instance : stack.instances(app)) {
                    stack.awaitReady(instance, Duration.ofSeconds(240));
                }
            }
            double startupS = (System.nanoTime() - runStart) / 1e9;
            log(String.format("%d instances of each app ready after %.1f s", options.instances(), startupS));
            RedisClient redisClient = RedisClient.create(stack.redisUrl());
            try (Admin admin = stack.admin();
                 MongoClient mongoClient = MongoClients.create(stack.mongoUri());
                 StatefulRedisConnection<byte[], byte[]> redis = redisClient.connect(ByteArrayCodec.INSTANCE)) {
                MongoDatabase db = mongoClient.getDatabase(DATABASE);
                Lag lag = new Lag(admin, options.partitions());
                java.util.function.Supplier<List<Integer>> ingestPorts = () -> stack.instances("ingest-api").stream()
                        .filter(i -> i.process().alive()).map(Stack.Instance::httpPort).toList();
                FreshnessProbes probes = new FreshnessProbes(redis, db.getCollection("interactions"), recorder);
                Traffic traffic = new Traffic(stack.bootstrapServers(), ingestPorts, options.eventsPerSecond(),
                        recorder, probes::follow, options.longRun() ? 0.05 : 0.25);
                Timeline timeline = new Timeline(lag, recorder, probes, runStart);
                RegressionWatcher watcher = new RegressionWatcher(ingestPorts, traffic.sessions, recorder,
                        options.seed());
                Map<ChildProcess, Long> cpuBefore = new java.util.HashMap<>();
                stack.allInstances().forEach(i -> cpuBefore.put(i.process(), i.process().cpuNanos()));
                long trafficStart = System.nanoTime();
                traffic.start(options.longRun() ? 32 : 8, options.seed());
                log(String.format("traffic: %.0f events/s offered for %d s; faults every %d s",
                        options.eventsPerSecond(), options.traffic().toSeconds(), options.faultGap().toSeconds()));
                Faults faults = new Faults(stack, options, lag, redis, traffic, recorder, runStart);
                long trafficEnd = trafficStart + options.traffic().toNanos();
                faults.run(trafficEnd);
                Stack.sleep(Math.max(options.faultGap().toMillis(),
                        TimeUnit.NANOSECONDS.toMillis(trafficEnd - System.nanoTime())));
                traffic.close();
                double trafficS = (System.nanoTime() - trafficStart) / 1e9;
                List<Faults.Result> faultResults = faults.results();
                watcher.close();
                // A long run offers more than one machine applies: its backlog drains before the check judges.
                Duration drainLimit = options.longRun() ? Duration.ofMinutes(20) : Duration.ofMinutes(3);
                log("draining: every consumer group up to the end offsets");
                long drainStart = System.nanoTime();
                Map<TopicPartition, Long> end = lag.endOffsets();
                boolean drained = Faults.awaitQuietly(() -> {
                    try {
                        return lag.behind(end).values().stream().allMatch(v -> v == 0);
                    } catch (Exception e) {
                        return false;
                    }
                }, drainLimit);
                log(String.format(java.util.Locale.ROOT, "drained in %.1f s", (System.nanoTime() - drainStart) / 1e9));
                // the reconciler checks a key 5 s after its last change (app.reconciler.check-delay-ms)
                Stack.sleep(8_000);
                probes.close();
                timeline.close();
                log("checking: the topics folded against MongoDB and Redis");
                List<TopicRecord> records = List.of();
                Expected expected = ContractFold.fold(records);
                List<Finding> findings = new ArrayList<>();
                try {
                    records = TopicReader.readAll(stack.bootstrapServers(), Stack.TOPIC_PREFIX);
                    expected = ContractFold.fold(records);
                    findings.addAll(Checker.check(expected, StoreReader.read(db, redis, Stack.CACHE_PREFIX),
                            Stack.CACHE_PREFIX, SETTLE_MILLIS));
                    findings.addAll(acknowledgedButMissing(recorder, records));
                } catch (RuntimeException e) {
                    // the figures of the run are still worth the report; the verdict is a failure
                    findings.add(new Finding(Finding.Kind.WRONG, Finding.Store.CHECKER, "checker",
                            "could not finish: " + e));
                }
                if (!drained) {
                    findings.add(new Finding(Finding.Kind.WRONG, Finding.Store.KAFKA, "consumer groups",
                            "not drained within " + drainLimit.toSeconds() + " s after the traffic stopped: "
                                    + lag.behind(end)));
                }
                Map<String, Double> cpu = new LinkedHashMap<>();
                for (String app : Stack.APPS) {
                    long nanos = stack.allInstances().stream().filter(i -> i.app().equals(app))
                            .mapToLong(i -> i.process().cpuNanos() - cpuBefore.getOrDefault(i.process(), 0L)).sum();
                    cpu.put(app, nanos / 1_000.0 / Math.max(1, records.size()));
                }
                return new Report(options, startupS, trafficS, recorder, records.size(), expected, findings,
                        new ArrayList<>(recorder.regressions), faultResults, timeline.points(), faults.windows(),
                        timeline.maxLag(), cpu);
            } finally {
                redisClient.shutdown();
            }
        }
    }

    /** Every acknowledged write must be in its topic at the offset the acknowledgement named, with its event id. */
    private static List<Finding> acknowledgedButMissing(Recorder recorder, List<TopicRecord> records) {
        Set<String> present = new HashSet<>();
        for (TopicRecord r : records) {
            present.add(r.topic() + "/" + r.partition() + "@" + r.offset() + " " + r.eventId());
        }
        List<Finding> lost = new ArrayList<>();
        synchronized (recorder.acks) {
            for (Recorder.Ack a : recorder.acks) {
                String where = TopicRecord.roleOf(a.topic()) + "/" + a.partition() + "@" + a.offset();
                if (!present.contains(where + " " + a.eventId())) {
                    lost.add(new Finding(Finding.Kind.LOST, Finding.Store.KAFKA, where,
                            "acknowledged event " + a.eventId() + " is not in the topic"));
                }
            }
        }
        return lost;
    }

    /** A run starts on empty servers: the broker formats its data directory only when there is none. */
    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    static void log(String line) {
        System.out.println("chaos: " + line);
        System.out.flush();
    }
}
