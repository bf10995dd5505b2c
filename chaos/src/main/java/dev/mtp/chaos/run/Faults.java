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
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The fault schedule (docs/decisions/0020): each fault, when it strikes, and the bound its convergence is held to.
 * Convergence is measured from the moment the fault ends (the killed process restarted, the server back): every
 * consumer group has committed past the end offsets of that moment; for a Redis loss, every sampled key that was live
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

    /**
     * A fault: the {@code --faults} name of its kind, what the report calls it, the action (returns once the fault is
     * over), and its bound and the rule it comes from.
     */
    private record Fault(String kind, String name, Runnable action, Duration bound, String boundRule,
                         boolean redisLoss) {
    }

    /** The dead member's partitions wait for the session timeout, then 45 s to catch up on what queued meanwhile. */
    static final Duration CONSUMER_KILL_BOUND = Stack.SESSION_TIMEOUT.plusSeconds(45);
    private static final String CONSUMER_KILL_RULE = "session timeout " + Stack.SESSION_TIMEOUT.toSeconds()
            + " s, then 45 s to catch up";
    private static final String BROKER_RULE = "clients reconnect and rejoin: session timeout "
            + Stack.SESSION_TIMEOUT.toSeconds() + " s + 45 s catch-up";
    /**
     * mongo-writer backs off while MongoDB is down, then drains the outage's backlog into the stand-in on cores it
     * shares with every other JVM of the run; the times measured are in docs/benchmarks/chaos.md.
     */
    private static final Duration MONGO_OUTAGE_BOUND = Duration.ofSeconds(120);
    /** Checks per second the recovery sweep is held to here: half its ceiling, the cores being shared. */
    private static final int SHARED_SWEEP_RATE = 1_000;
    /** How far back the replay fault reaches, and how fast it goes: ops-cli's default rate. */
    private static final String REPLAY_FROM = "60s";
    private static final int REPLAY_RATE = 1_000;

    /** How often convergence is polled: the figures are quoted to a tenth of a second. */
    private static final long POLL_MILLIS = 100;

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
                    faults.add(new Fault("consumers", "kill -9 " + app + " #" + (index + 1),
                            () -> killAndRestart(app, index), CONSUMER_KILL_BOUND, CONSUMER_KILL_RULE, false));
                }
            }
        } else {
            faults.add(new Fault("consumers", "kill -9 cache-writer #1, mongo-writer #1, shadow-reconciler #1 together",
                    () -> consumers.forEach(app -> killAndRestart(app, 0)), CONSUMER_KILL_BOUND, CONSUMER_KILL_RULE,
                    false));
        }
        faults.add(new Fault("ingest", "kill -9 ingest-api #1", () -> killAndRestart("ingest-api", 0),
                Duration.ofSeconds(30), "the pipeline keeps up: 30 s", false));
        faults.add(new Fault("broker", options.brokerKill() ? "kill -9 broker, restart after 3 s"
                : "broker stopped (SIGTERM), restarted after 3 s", () -> brokerDown(options.brokerKill()),
                CONSUMER_KILL_BOUND, BROKER_RULE, false));
        faults.add(new Fault("flushall", "Redis FLUSHALL", () -> redis.sync().flushall(), Duration.ZERO, "", true));
        faults.add(new Fault("redis-restart", "Redis restarted empty",
                () -> stack.restartRedisEmpty(Duration.ofSeconds(30)), Duration.ZERO, "", true));
        faults.add(new Fault("mongo", "MongoDB down " + options.mongoOutage().toSeconds() + " s", this::mongoOutage,
                MONGO_OUTAGE_BOUND, "writes resume, then the outage's backlog drains on the stand-in: 120 s", false));
        faults.add(new Fault("scale-out", "cache-writer instance added", () -> stack.awaitReady(
                stack.addInstance("cache-writer"), Duration.ofSeconds(120)), Duration.ofSeconds(60),
                "a rebalance under load: 60 s", false));
        faults.add(new Fault("scale-out", "cache-writer instance removed", () -> stack.removeNewest("cache-writer"),
                Duration.ofSeconds(60), "a rebalance under load: 60 s", false));
        faults.add(new Fault("republish", "200 events re-published (duplicates, out-of-order copies)",
                this::republish, Duration.ofSeconds(30), "ordinary traffic: 30 s", false));
        faults.add(new Fault("replay", "the last " + REPLAY_FROM + " replayed into Redis, then MongoDB (ops-cli)",
                this::replay, Duration.ofSeconds(60), "the replay's extra writes drain: 60 s", false));
        return faults.stream().filter(f -> options.strikes(f.kind())).toList();
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
        long shadowKeys = fault.redisLoss()
                ? Math.round(stack.metricSum("shadow-reconciler", "mtp_reconciler_shadow_entries")) : 0;
        try {
            fault.action().run();
        } catch (RuntimeException e) {
            double ended = seconds(System.nanoTime());
            windows.add(new double[] {started, ended});
            results.add(new Result(fault.name(), started, ended, -1, fault.bound().toMillis(), fault.boundRule(),
                    "the fault itself failed: " + e.getMessage()));
            ChaosRun.log(fault.name() + " failed: " + e.getMessage());
            recorder.phase("load");
            return;
        }
        long ended = System.nanoTime();
        windows.add(new double[] {started, seconds(ended)});
        Duration bound = fault.bound();
        String rule = fault.boundRule();
        if (fault.redisLoss()) {
            // docs/convergence.md, "The bound after data loss": canary 1 s + punctuation 0.1 s + sweep start 2 s
            // + keys in the shadow / the sweep's rate (+ 1 s reconnect after a restart). That bound is for the
            // reconciler's 2,000 checks/s ceiling (FlushAndRestartIT holds it); here two instances share the cores
            // with every other JVM of the run and the traffic, so the sweep is judged at half its ceiling.
            boolean restart = fault.kind().equals("redis-restart");
            bound = Duration.ofMillis(1_000 + 100 + 2_000 + shadowKeys * 1_000 / SHARED_SWEEP_RATE
                    + (restart ? 1_000 : 0));
            rule = "1 s canary + 0.1 s + 2 s + " + shadowKeys + " keys in the shadow / " + SHARED_SWEEP_RATE
                    + " per s" + (restart ? " + 1 s reconnect" : "");
        }
        StringBuilder unconverged = new StringBuilder();
        long converged = fault.redisLoss() ? keysBack(sample, ended, bound, unconverged)
                : groupsCaughtUp(ended, bound, unconverged);
        results.add(new Result(fault.name(), started, seconds(ended), converged, bound.toMillis(), rule,
                unconverged.toString()));
        ChaosRun.log(String.format(java.util.Locale.ROOT, "%-58s converged %s (bound %.1f s)%s", fault.name(),
                converged < 0 ? "never" : String.format(java.util.Locale.ROOT, "in %.1f s", converged / 1e3),
                bound.toMillis() / 1e3, converged < 0 ? ": " + unconverged : ""));
        recorder.phase("load");
    }

    /**
     * After a Redis loss: milliseconds until every sampled key is back (or its session was deleted since), or -1. What
     * the bound promises is the keys, restored by the reconciler; the groups' lag is cache-writer's own business.
     */
    private long keysBack(List<String> sample, long endedNanos, Duration bound, StringBuilder unconverged) {
        long giveUp = giveUp(endedNanos, bound);
        List<String> missing = new ArrayList<>(sample);
        String error = "";
        while (System.nanoTime() < giveUp) {
            try {
                missing.removeIf(this::deletedSince);
                if (missing.isEmpty() || redis.sync().exists(bytes(missing)) == missing.size()) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedNanos);
                }
            } catch (RuntimeException e) {
                error = e.toString();
            }
            Stack.sleep(POLL_MILLIS);
        }
        try {
            missing.removeIf(key -> redis.sync().exists(key.getBytes(StandardCharsets.UTF_8)) > 0);
        } catch (RuntimeException e) {
            error = e.toString();
        }
        unconverged.append(missing.size()).append(" of ").append(sample.size()).append(" sampled keys not back")
                .append(missing.isEmpty() ? "" : " (e.g. " + missing.subList(0, Math.min(3, missing.size())) + ")")
                .append(error.isEmpty() ? "" : "; last error: " + error);
        return -1;
    }

    /** Milliseconds until every consumer group committed past the end offsets of the fault's end, or -1. */
    private long groupsCaughtUp(long endedNanos, Duration bound, StringBuilder unconverged) {
        long giveUp = giveUp(endedNanos, bound);
        Map<TopicPartition, Long> end = null;
        Map<String, Long> behind = Map.of();
        String error = "";
        while (System.nanoTime() < giveUp) {
            try {
                if (end == null) {
                    end = lag.endOffsets();
                }
                behind = lag.behind(end);
                if (behind.values().stream().allMatch(v -> v == 0)) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedNanos);
                }
            } catch (Exception e) {
                error = e.toString();
            }
            Stack.sleep(POLL_MILLIS);
        }
        unconverged.append("groups behind the fault's end offsets: ").append(behind)
                .append(error.isEmpty() ? "" : "; last error: " + error);
        return -1;
    }

    /** A fault is waited for twice its bound, at least a minute, before it counts as never converged. */
    private static long giveUp(long endedNanos, Duration bound) {
        return endedNanos + Math.max(bound.toNanos() * 2, TimeUnit.SECONDS.toNanos(60));
    }

    private static byte[][] bytes(List<String> keys) {
        byte[][] out = new byte[keys.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = keys.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
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
     * Replays the last minute of every topic into Redis, then into MongoDB, with ops-cli while the traffic goes on:
     * through the sinks' guarded writes, so it may only add load, never take a store back.
     */
    private void replay() {
        for (String sink : List.of("cache-writer", "mongo-writer")) {
            ChildProcess cli = stack.opsCli("ops-cli-replay-" + sink, "replay", "--sink", sink, "--from", REPLAY_FROM,
                    "--rate", Integer.toString(REPLAY_RATE), "--restart", "--checkpoint",
                    stack.file("replay-" + sink + ".checkpoint.json").toString());
            OptionalInt exit = cli.awaitExit(Duration.ofMinutes(3));
            if (exit.isEmpty()) {
                cli.kill9();
                throw new IllegalStateException("ops-cli replay --sink " + sink + " still running after 3 minutes; see "
                        + cli.log());
            }
            if (exit.getAsInt() != 0) {
                throw new IllegalStateException("ops-cli replay --sink " + sink + " exited with " + exit.getAsInt()
                        + "; see " + cli.log());
            }
        }
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
