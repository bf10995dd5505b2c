package dev.mtp.chaos.run;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The fault schedule (docs/decisions/0020): each fault, when it strikes, and the bound its convergence is held to.
 * Convergence is measured from the moment the fault ends (the killed process restarted, the server back): every
 * consumer group has committed past the end offsets of that moment, and, for a Redis loss, every key that was live
 * before it is back. One fault at a time: the next strikes a gap after the one before converged, so each is measured
 * on its own.
 */
final class Faults {

    /** What one fault did and how long the pipeline took to converge after it. */
    record Result(String name, double startedAtS, double endedAtS, long convergedMillis, long boundMillis,
                  String boundRule, String unconverged) {
        boolean met() {
            return convergedMillis >= 0 && convergedMillis <= boundMillis;
        }
    }

    /** A fault: a name, the action (returns once the fault is over), and its bound and the rule it comes from. */
    private record Fault(String name, Runnable action, Duration bound, String boundRule, boolean redisLoss) {
    }

    static final Duration CONSUMER_KILL_BOUND = Duration.ofSeconds(90);
    private static final String CONSUMER_KILL_RULE = "session timeout 45 s, then as long again to catch up";

    private final Stack stack;
    private final Options options;
    private final Lag lag;
    private final StatefulRedisConnection<byte[], byte[]> redis;
    private final Traffic traffic;
    private final Recorder recorder;
    private final long runStartNanos;
    private final List<Result> results = Collections.synchronizedList(new ArrayList<>());
    private final List<double[]> windows = Collections.synchronizedList(new ArrayList<>());

    Faults(Stack stack, Options options, Lag lag, StatefulRedisConnection<byte[], byte[]> redis, Traffic traffic,
           Recorder recorder, long runStartNanos) {
        this.stack = stack;
        this.options = options;
        this.lag = lag;
        this.redis = redis;
        this.traffic = traffic;
        this.recorder = recorder;
        this.runStartNanos = runStartNanos;
    }

    private List<Fault> schedule() {
        List<Fault> faults = new ArrayList<>();
        List<String> consumers = List.of("cache-writer", "mongo-writer", "shadow-reconciler");
        if (options.longRun()) {
            for (String app : consumers) {
                for (int i = 0; i < stack.instances(app).size(); i++) {
                    int index = i;
                    faults.add(new Fault("kill -9 " + app + " #" + (index + 1), () -> killAndRestart(app, index),
                            CONSUMER_KILL_BOUND, CONSUMER_KILL_RULE, false));
                }
            }
        } else {
            faults.add(new Fault("kill -9 cache-writer #1, mongo-writer #1, shadow-reconciler #1 together",
                    () -> consumers.forEach(app -> killAndRestart(app, 0)), CONSUMER_KILL_BOUND, CONSUMER_KILL_RULE,
                    false));
        }
        faults.add(new Fault("kill -9 ingest-api #1", () -> killAndRestart("ingest-api", 0), Duration.ofSeconds(30),
                "the pipeline keeps up: 30 s", false));
        if (options.brokerKill()) {
            faults.add(new Fault("kill -9 broker, restart after 3 s", () -> brokerDown(true), Duration.ofSeconds(90),
                    "clients reconnect and rejoin: session timeout 45 s + 45 s catch-up", false));
        } else {
            faults.add(new Fault("broker stopped (SIGTERM), restarted after 3 s", () -> brokerDown(false),
                    Duration.ofSeconds(90), "clients reconnect and rejoin: session timeout 45 s + 45 s catch-up",
                    false));
        }
        faults.add(new Fault("Redis FLUSHALL", () -> redis.sync().flushall(), Duration.ZERO, "", true));
        faults.add(new Fault("Redis restarted empty", () -> stack.restartRedisEmpty(Duration.ofSeconds(30)),
                Duration.ZERO, "", true));
        faults.add(new Fault("MongoDB down " + options.mongoOutage().toSeconds() + " s", this::mongoOutage,
                Duration.ofSeconds(60), "writes resume with the server: 60 s", false));
        faults.add(new Fault("cache-writer instance added", () -> stack.awaitReady(stack.addInstance("cache-writer"),
                Duration.ofSeconds(120)), Duration.ofSeconds(60), "a rebalance under load: 60 s", false));
        faults.add(new Fault("cache-writer instance removed", () -> stack.removeNewest("cache-writer"),
                Duration.ofSeconds(60), "a rebalance under load: 60 s", false));
        faults.add(new Fault("200 events re-published (duplicates, out-of-order copies)", this::republish,
                Duration.ofSeconds(30), "ordinary traffic: 30 s", false));
        return faults;
    }

    /**
     * Runs the schedule, one fault at a time, each after the one before converged (or gave up); a long run starts it
     * again while its traffic time lasts.
     */
    void run(long trafficEndNanos) {
        do {
            for (Fault fault : schedule()) {
                Stack.sleep(options.faultGap().toMillis());
                if (options.longRun() && System.nanoTime() > trafficEndNanos) {
                    return;
                }
                strike(fault);
            }
        } while (options.longRun() && System.nanoTime() < trafficEndNanos);
    }

    private void strike(Fault fault) {
        double started = seconds(System.nanoTime());
        recorder.phase("after " + fault.name());
        List<String> sample = fault.redisLoss() ? liveKeys(1_000) : List.of();
        long dbsize = fault.redisLoss() ? redis.sync().dbsize() : 0;
        fault.action().run();
        long ended = System.nanoTime();
        windows.add(new double[] {started, seconds(ended)});
        Duration bound = fault.bound();
        String rule = fault.boundRule();
        if (fault.redisLoss()) {
            // README "The bound after data loss": canary 1 s + punctuation 0.1 s + sweep start 2 s + keys / 2,000 per s
            // (+ 1 s reconnect after a restart)
            long millis = 1_000 + 100 + 2_000 + dbsize * 1_000 / 2_000 + (fault.name().contains("restarted") ? 1_000 : 0);
            bound = Duration.ofMillis(millis);
            rule = "README: 1 s canary + 0.1 s + 2 s + " + dbsize + " keys / 2,000 per s"
                    + (fault.name().contains("restarted") ? " + 1 s reconnect" : "");
        }
        StringBuilder unconverged = new StringBuilder();
        long converged = converge(sample, ended, bound, unconverged);
        results.add(new Result(fault.name(), started, seconds(ended), converged, bound.toMillis(), rule,
                unconverged.toString()));
        ChaosRun.log(String.format(java.util.Locale.ROOT, "%-58s converged %s (bound %.1f s)%s", fault.name(),
                converged < 0 ? "never" : String.format(java.util.Locale.ROOT, "in %.1f s", converged / 1e3),
                bound.toMillis() / 1e3, converged < 0 ? ": " + unconverged : ""));
        recorder.phase("load");
    }

    /** Milliseconds from the fault's end until converged, or -1 with what was still behind in {@code unconverged}. */
    private long converge(List<String> sample, long endedNanos, Duration bound, StringBuilder unconverged) {
        long giveUp = endedNanos + Math.max(bound.toNanos() * 2, TimeUnit.SECONDS.toNanos(60));
        Map<TopicPartition, Long> end = null;
        Map<String, Long> behind = Map.of();
        List<String> missing = new ArrayList<>(sample);
        String error = "";
        while (System.nanoTime() < giveUp) {
            try {
                if (end == null) {
                    end = lag.endOffsets();
                }
                if (!missing.isEmpty()) {
                    missing.removeIf(key -> redis.sync().exists(key.getBytes(StandardCharsets.UTF_8)) > 0
                            || deletedSince(key));
                }
                behind = lag.behind(end);
                if (missing.isEmpty() && behind.values().stream().allMatch(v -> v == 0)) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedNanos);
                }
            } catch (Exception e) {
                error = e.toString();
            }
            Stack.sleep(250);
        }
        unconverged.append(missing.size()).append(" of ").append(sample.size()).append(" keys not back")
                .append(missing.isEmpty() ? "" : " (e.g. " + missing.subList(0, Math.min(3, missing.size())) + ")")
                .append("; groups behind the fault's end offsets: ").append(behind)
                .append(error.isEmpty() ? "" : "; last error: " + error);
        return -1;
    }

    private boolean deletedSince(String key) {
        String session = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
        Traffic.Session s = traffic.sessions.get(session);
        return s == null || s.deleted;
    }

    /**
     * Keys that should outlive the recovery: interaction keys with over two minutes to live. Session and latest-response
     * keys are left out, since a later event may remove them rightly (a change to NONE, a NONE interaction).
     */
    private List<String> liveKeys(int limit) {
        List<String> keys = new ArrayList<>();
        ScanArgs args = ScanArgs.Builder.matches(Stack.CACHE_PREFIX + "{*").limit(1000);
        KeyScanCursor<byte[]> cursor = redis.sync().scan(args);
        long horizon = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(2);
        while (keys.size() < limit) {
            for (byte[] key : cursor.getKeys()) {
                String k = new String(key, StandardCharsets.UTF_8);
                byte[] value = k.contains("}:i:") ? redis.sync().get(key) : null;
                if (value != null && value.length > 0 && value[0] != 't' && redis.sync().pexpiretime(key) > horizon) {
                    keys.add(k);
                }
            }
            if (cursor.isFinished()) {
                break;
            }
            cursor = redis.sync().scan(io.lettuce.core.ScanCursor.of(cursor.getCursor()), args);
        }
        return keys;
    }

    private void killAndRestart(String app, int index) {
        List<Stack.Instance> instances = stack.instances(app);
        ChildProcess process = instances.get(Math.min(index, instances.size() - 1)).process();
        process.kill9();
        process.start();
    }

    private void brokerDown(boolean kill) {
        if (kill) {
            stack.kafka.kill9();
        } else {
            stack.kafka.stop(Duration.ofSeconds(60));
        }
        Stack.sleep(3_000);
        stack.restart(stack.kafka, stack.kafkaPort(), Duration.ofSeconds(120));
    }

    private void mongoOutage() {
        stack.mongo.stop(Duration.ofSeconds(30));
        Stack.sleep(options.mongoOutage().toMillis());
        stack.restart(stack.mongo, stack.mongoPort(), Duration.ofSeconds(60));
    }

    /**
     * Reads back acknowledged interaction records and sends them again as they were: copies land at new offsets, so
     * the older ones become out-of-order copies, and a record sent twice is a duplicate. Sessions deleted meanwhile are
     * left alone (a copy accepted after a deletion but older than it is the residual case of docs/decisions/0006).
     */
    private void republish() {
        Random random = new Random(options.seed());
        List<Recorder.Ack> candidates;
        synchronized (recorder.acks) {
            candidates = recorder.acks.stream().filter(a -> a.topic().endsWith("interactions.v1")).toList();
        }
        if (candidates.isEmpty()) {
            return;
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            int sent = 0;
            for (int attempt = 0; attempt < 400 && sent < 200; attempt++) {
                Recorder.Ack ack = candidates.get(random.nextInt(candidates.size()));
                Traffic.Session s = traffic.sessions.get(ack.sessionId());
                if (s == null || s.deleted) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(ack.topic(), ack.partition());
                consumer.assign(List.of(tp));
                consumer.seek(tp, ack.offset());
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(5))) {
                    if (r.offset() == ack.offset()) {
                        int copies = random.nextInt(4) == 0 ? 2 : 1;
                        for (int c = 0; c < copies; c++) {
                            traffic.producer().send(new ProducerRecord<>(r.topic(), r.key(), r.value())).get(60,
                                    TimeUnit.SECONDS);
                            recorder.direct.incrementAndGet();
                            sent++;
                        }
                        break;
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("re-publishing failed: " + e.getMessage(), e);
        }
    }

    /** Every fault's result, in the order they struck. */
    List<Result> results() {
        return List.copyOf(results);
    }

    /** [start, end] in run seconds of every fault so far, for the timeline. */
    List<double[]> windows() {
        return windows;
    }

    private double seconds(long nanos) {
        return (nanos - runStartNanos) / 1e9;
    }

    static boolean awaitQuietly(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Stack.sleep(250);
        }
        return false;
    }
}
