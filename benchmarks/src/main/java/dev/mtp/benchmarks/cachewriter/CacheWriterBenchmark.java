package dev.mtp.benchmarks.cachewriter;

import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.Script;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.cachewriter.CacheWriterApp;
import dev.mtp.cachewriter.CacheWriterConfig;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.mtp.common.version.VersionRule.OtherIncarnations.SUPERSEDE;

/**
 * The cache-writer benchmark, one run, three results:
 * <ol>
 *   <li>cache-writer's events/s on a topic of seed-shaped events: S sessions (the seed's persist_session example,
 *       WITH_CONTEXT), K interactions each (the persist_interaction example, RESPONSE_ONLY), one partial update each;
 *       produced first, then consumed by cache-writer running in this JVM, timed from its first to its last event;</li>
 *   <li>the same machine's ceiling for the same writes: {@code redis-benchmark} pipelined, calling the same Lua
 *       scripts by EVALSHA with values of the same size, once per script kind; combined with the number of calls of
 *       each kind per event that cache-writer made, that is the events/s Redis alone could take; and the ratio;</li>
 *   <li>bytes per key ({@code MEMORY USAGE}) for each strategy, without and with compression, for the seed's
 *       example payloads and for a larger, realistic one, next to the seed's figures.</li>
 * </ol>
 * Run with {@code scripts/bench-cache-writer [--sessions=N] [--interactions=K] [--partitions=P]
 * [--max-poll-records=M] [--requests=R] [--clients=C] [--pipeline=D] [--warmup-sessions=W] [--consumers=N] [--throughput=0]}
 * (0: bytes per key only; the warm-up, as many sessions as the timed run unless given, runs the same stream
 * untimed first, on topics of its own: a shorter one left C2 compiling the hot paths through the timed run; consumers:
 * {@code app.cache-writer.consumers}, the app's default unless given). Servers: {@code KAFKA_BOOTSTRAP_SERVERS}
 * and {@code REDIS_URL} when set (a Redis without other load; keys are written under a fresh prefix), else an
 * in-process broker and a private redis-server. Figures on a shared machine are noisy; compare the ratio.
 */
public final class CacheWriterBenchmark {

    record Options(int sessions, int interactions, int partitions, int maxPollRecords, int requests, int clients,
                   int pipeline, boolean throughput, int warmupSessions, int consumers) {
        static Options parse(String[] args) {
            Map<String, Integer> o = new LinkedHashMap<>(Map.of("sessions", 50_000, "interactions", 8,
                    "partitions", 6, "max-poll-records", 1_000, "requests", 200_000, "clients", 4, "pipeline", 64,
                    "throughput", 1, "warmup-sessions", -1, "consumers", 0));
            for (String arg : args) {
                String[] kv = arg.replaceFirst("^--", "").split("=", 2);
                if (kv.length != 2 || !o.containsKey(kv[0])) {
                    throw new IllegalArgumentException("unknown argument " + arg + "; known: " + o.keySet());
                }
                o.put(kv[0], Integer.parseInt(kv[1]));
            }
            int warmup = o.get("warmup-sessions") < 0 ? o.get("sessions") : o.get("warmup-sessions");
            return new Options(o.get("sessions"), o.get("interactions"), o.get("partitions"),
                    o.get("max-poll-records"), o.get("requests"), o.get("clients"), o.get("pipeline"),
                    o.get("throughput") != 0, warmup, o.get("consumers"));
        }

        /** The same stream, smaller: run first so that the timed run measures compiled code, not the JIT. */
        Options warmup() {
            return new Options(warmupSessions, interactions, partitions, maxPollRecords, requests, clients, pipeline,
                    true, 0, consumers);
        }

        int events() {
            return sessions * (interactions + 2);
        }
    }

    private CacheWriterBenchmark() {}

    /** The incarnation of the versions the benchmark writes by itself (the app writes its topics' own). */
    private static final Incarnation BENCH = new Incarnation("BeNcHmRk");

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            String kafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            if (kafka == null || kafka.isBlank()) {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
                owned.add(0, broker);
                kafka = broker.bootstrapServers();
            }
            String redisUrl = System.getenv("REDIS_URL");
            if (redisUrl == null || redisUrl.isBlank()) {
                RedisServerProcess redis = RedisServerProcess.builder().start();
                owned.add(0, redis);
                redisUrl = redis.url();
            }
            run(options, kafka, redisUrl, !owned.isEmpty() && owned.get(0) instanceof RedisServerProcess);
        } finally {
            for (AutoCloseable c : owned) {
                c.close();
            }
        }
    }

    private static void run(Options o, String kafka, String redisUrl, boolean ownRedis) throws Exception {
        String id = "bench" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        RedisClient client = RedisClient.create(RedisURI.create(redisUrl));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            String version = redis.info("server").lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                    .orElse("?");
            System.out.printf(Locale.ROOT, "%ncache-writer benchmark: %d cores, %s, Kafka %s%n",
                    Runtime.getRuntime().availableProcessors(), version, kafka);

            if (!o.throughput()) {
                memory(redisUrl, redis, ownRedis);
                return;
            }
            if (o.warmupSessions() > 0) {
                System.out.printf(Locale.ROOT, "warm-up: %,d events on topics of their own, not timed%n",
                        o.warmup().events());
                throughput(o.warmup(), kafka, redisUrl, id + "w");
                awaitQuietCompilers();
            }
            Throughput t = throughput(o, kafka, redisUrl, id);
            Ceiling c = ceiling(o, redisUrl, redis, t);
            System.out.printf(Locale.ROOT, "%n== events/s (%d seed-shaped events: %d sessions x (create + %d interactions"
                            + " + update), %d partitions, up to %d records per batch)%n",
                    o.events(), o.sessions(), o.interactions(), o.partitions(), o.maxPollRecords());
            System.out.printf(Locale.ROOT, "cache-writer           %,10.0f events/s  (%,d events in %.2f s; script calls"
                            + " per event: %.2f session, %.2f interaction alone, %.2f interaction + latest)%n",
                    t.eventsPerSecond(), t.events(), t.seconds(), t.sessionCallsPerEvent(),
                    t.interactionCallsPerEvent() - t.latestCallsPerEvent(), t.latestCallsPerEvent());
            System.out.println("                       " + t.stages());
            System.out.println("                       " + t.cpu());
            for (String line : c.lines()) {
                System.out.println(line);
            }
            System.out.printf(Locale.ROOT, "ceiling for this mix   %,10.0f events/s  (Redis alone, same calls per event)%n",
                    c.eventsPerSecond());
            System.out.printf(Locale.ROOT, "ratio                  %10.2f x the ceiling  (goal: at least 0.5)%n",
                    t.eventsPerSecond() / c.eventsPerSecond());

            memory(redisUrl, redis, ownRedis);
        } finally {
            client.shutdown();
        }
    }

    // ---------------------------------------------------------------- events/s

    private static final long QUIET_JIT_NS_PER_SECOND = 50_000_000;

    /**
     * Waits (at most a minute) until the JIT compilers spend less than 5% of a core: with one C2 thread on two cores,
     * its queue from the warm-up (this JVM also runs the broker) took ~40 s to drain, and the timed run paid for it.
     */
    private static void awaitQuietCompilers() throws InterruptedException {
        long started = System.nanoTime();
        long before = CpuMeter.jitNanos();
        while (System.nanoTime() - started < TimeUnit.MINUTES.toNanos(1)) {
            Thread.sleep(1_000);
            long now = CpuMeter.jitNanos();
            if (now - before < QUIET_JIT_NS_PER_SECOND) {
                break;
            }
            before = now;
        }
        System.out.printf(Locale.ROOT, "waited %.1f s for the JIT compilers to go quiet%n",
                (System.nanoTime() - started) / 1e9);
    }

    record Throughput(long events, double seconds, double sessionCalls, double interactionCalls, double latestCalls,
                      int sessionValueBytes, int interactionValueBytes, int latestValueBytes, String stages,
                      String cpu) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double sessionCallsPerEvent() {
            return sessionCalls / events;
        }

        double interactionCallsPerEvent() {
            return interactionCalls / events;
        }

        double latestCallsPerEvent() {
            return latestCalls / events;
        }
    }

    private static Throughput throughput(Options o, String kafka, String redisUrl, String id) throws Exception {
        String prefix = id + ".";
        PersistenceTopics topics = PersistenceTopics.withPrefix(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            List<NewTopic> create = topics.allNames().stream()
                    .map(n -> new NewTopic(n, o.partitions(), (short) 1)).toList();
            admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (String name : topics.allNames()) {
                for (int p = 0; p < o.partitions(); p++) {
                    latest.put(new TopicPartition(name, p), OffsetSpec.latest());
                }
            }
            for (int attempt = 0; ; attempt++) {   // KAFKA-15591: produce only once every partition answers
                try {
                    admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                    break;
                } catch (Exception e) {
                    if (attempt > 100) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
        System.out.printf(Locale.ROOT, "producing %,d events...%n", o.events());
        produce(o, kafka, topics);

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", kafka);
        settings.put("redis.url", redisUrl);
        settings.put("app.topics.prefix", prefix);
        settings.put("app.topics.partitions", Integer.toString(o.partitions()));
        settings.put("app.cache.key-prefix", id + ":");
        settings.put("app.consume.max-poll-records", Integer.toString(o.maxPollRecords()));
        settings.put("ops.port", "0");
        if (o.consumers() > 0) {
            settings.put("app.cache-writer.consumers", Integer.toString(o.consumers()));
        }
        System.out.println("running cache-writer...");
        CpuMeter cpu = new CpuMeter(redisUrl);
        try (RunningApp app = AppLauncher.start(CacheWriterConfig.TABLE, CacheWriterApp::start, settings, Map.of())) {
            long first = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (true) {
                double done = count(app, "mtp.cache.events");
                long now = System.nanoTime();
                if (first == 0 && done > 0) {
                    first = now;
                    cpu.start();
                }
                if (done >= o.events()) {
                    double seconds = (now - first) / 1e9;
                    EventEnvelope sampleSession = seedSession("s-0", Instant.now());
                    SessionState state = SessionFold.apply(SessionState.empty("s-0"), sampleSession,
                            Version.of(BENCH, 0)).state();
                    ValueCodec codec = new ValueCodec(true, 256);
                    Version v = Version.of(BENCH, 100_000);
                    int sessionBytes = codec.session(SessionProjection.of(state).orElseThrow(),
                            VersionVector.session(v, v)).length;
                    EventEnvelope interaction = seedInteraction("s-0", "int-789", Instant.now());
                    int interactionBytes = codec.interaction(InteractionProjection.of(interaction).orElseThrow(),
                            VersionVector.of(v)).length;
                    int latestBytes = codec.latestResponse(InteractionProjection.latestResponse(interaction)
                            .orElseThrow(), VersionVector.of(v)).length;
                    return new Throughput(o.events(), seconds, count(app, "mtp.cache.keys", "kind", "session"),
                            count(app, "mtp.cache.keys", "kind", "interaction"),
                            count(app, "mtp.cache.keys", "kind", "latest"), sessionBytes, interactionBytes, latestBytes,
                            stages(app), cpu.report(o.events()));
                }
                if (now > deadline) {
                    throw new IllegalStateException("cache-writer did not finish: " + done + " of " + o.events());
                }
                Thread.sleep(first == 0 ? 100 : 10);
            }
        }
    }

    /** Where a batch's time went: mean per batch of the whole batch, its Redis pipeline, its state produce. */
    private static String stages(RunningApp app) {
        var batch = app.meterRegistry().find("mtp.consume.batch.latency").timer();
        var redis = app.meterRegistry().find("mtp.cache.redis").timer();
        var state = app.meterRegistry().find("mtp.cache.state").timer();
        var size = app.meterRegistry().find("mtp.consume.batch.size").summary();
        if (batch == null || redis == null || state == null || size == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%d batches of %.0f records on average; per batch: %.1f ms in all, "
                        + "%.1f ms Redis pipeline, %.1f ms session states to Kafka", batch.count(), size.mean(),
                batch.mean(TimeUnit.MILLISECONDS), redis.mean(TimeUnit.MILLISECONDS), state.mean(TimeUnit.MILLISECONDS));
    }

    private static double count(RunningApp app, String name, String... tags) {
        return app.meterRegistry().find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void produce(Options o, String kafka, PersistenceTopics topics) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Instant t = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int round = 0; round < o.interactions() + 2; round++) {
                for (int s = 0; s < o.sessions(); s++) {
                    String session = "session-" + s;
                    Instant at = t.plusMillis(round);
                    EventEnvelope e;
                    if (round == 0) {
                        e = seedSession(session, at);
                    } else if (round <= o.interactions()) {
                        e = seedInteraction(session, "int-" + round, at);
                    } else {
                        e = EventEnvelope.of(UUID.randomUUID(), session, session, null, at, "bench",
                                new SessionUpdated(null, "idle", Map.of("currentTopic", "pricing"), null));
                    }
                    acks.add(producer.send(new ProducerRecord<>(topics.forType(e.type()).name(), session,
                            EventCodec.encode(e))));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** The seed's "Persist High-Frequency Session" example. */
    static EventEnvelope seedSession(String session, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, "WITH_CONTEXT", at, "bench",
                new SessionCreated("user-456", "active", Map.of("currentTopic", "product_inquiry"),
                        Map.of("source", "web_chat")));
    }

    /** The seed's "Persist Interaction with Response Caching" example. */
    static EventEnvelope seedInteraction(String session, String interaction, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, interaction, "RESPONSE_ONLY", at, "bench",
                new InteractionRecorded("assistant", "What are your product features?", "Our product offers...",
                        Map.of("intent", "product_info"), Map.of(), 150L));
    }

    /**
     * CPU time per event, which a loaded machine distorts far less than events/s: cache-writer's threads in this JVM
     * (consume loop, Redis client event loops, state producer, consumer network; not the in-process broker) and the
     * Redis server's own CPU ({@code INFO cpu}), from the first event to the last. The rest of this JVM's CPU (the
     * in-process broker, GC, JIT) is printed apart: a deployed cache-writer pays its GC, not the broker's work.
     */
    static final class CpuMeter {
        private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        private final com.sun.management.OperatingSystemMXBean process =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private long processStart;
        private Map<String, Long> jvmStart = Map.of();
        private final String redisUrl;
        private final Map<Long, Long> startCpu = new java.util.HashMap<>();
        private double redisStart;

        CpuMeter(String redisUrl) {
            this.redisUrl = redisUrl;
        }

        void start() {
            for (java.lang.management.ThreadInfo t : threads.dumpAllThreads(false, false)) {
                startCpu.put(t.getThreadId(), Math.max(0, threads.getThreadCpuTime(t.getThreadId())));
            }
            redisStart = redisCpuSeconds();
            processStart = process.getProcessCpuTime();
            jvmStart = jvmThreadCpu();
        }

        String report(long events) {
            long processNs = process.getProcessCpuTime() - processStart;
            Map<String, Long> byGroup = new java.util.TreeMap<>();
            for (java.lang.management.ThreadInfo t : threads.dumpAllThreads(false, false)) {
                String group = group(t.getThreadName());
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                if (group == null || cpu < 0) {
                    continue;
                }
                byGroup.merge(group, cpu - startCpu.getOrDefault(t.getThreadId(), 0L), Long::sum);
            }
            long total = byGroup.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "CPU per event: cache-writer %.1f us (", total / 1e3 / events));
            byGroup.forEach((g, ns) -> sb.append(String.format(Locale.ROOT, "%s %.1f, ", g, ns / 1e3 / events)));
            sb.setLength(sb.length() - 2);
            sb.append(String.format(Locale.ROOT, "), redis-server %.1f us; rest of this JVM %.1f us (",
                    (redisCpuSeconds() - redisStart) * 1e6 / events, (processNs - total) / 1e3 / events));
            long jvm = 0;
            for (Map.Entry<String, Long> e : jvmThreadCpu().entrySet()) {
                long ns = e.getValue() - jvmStart.getOrDefault(e.getKey(), 0L);
                jvm += ns;
                sb.append(String.format(Locale.ROOT, "%s %.1f, ", e.getKey(), ns / 1e3 / events));
            }
            sb.append(String.format(Locale.ROOT, "broker and other %.1f)", (processNs - total - jvm) / 1e3 / events));
            return sb.toString();
        }

        static long jitNanos() {
            return jvmThreadCpu().getOrDefault("JIT", 0L);
        }

        /**
         * CPU of the JVM's own threads, which have no Java thread id: garbage collection and JIT compilers, from
         * {@code /proc/self/task} (Linux; empty elsewhere). Clock ticks of 10 ms, fine over a run of seconds.
         */
        private static Map<String, Long> jvmThreadCpu() {
            Map<String, Long> byGroup = new java.util.TreeMap<>();
            java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
            for (java.io.File task : tasks == null ? new java.io.File[0] : tasks) {
                try {
                    String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String group = name.startsWith("GC Thread") || name.startsWith("G1 ") ? "GC"
                            : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT" : null;
                    if (group != null) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        byGroup.merge(group, ticks * 10_000_000L, Long::sum);
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            }
            return byGroup;
        }

        private static String group(String thread) {
            if (thread.matches(".*-consume(-\\d+)?")) {
                return "consume loops";
            }
            if (thread.startsWith("lettuce-")) {
                return "redis client";
            }
            if (thread.contains("state-producer") || thread.contains("dead-letter") || thread.startsWith("kafka-producer")) {
                return "producers";
            }
            if (thread.startsWith("kafka-coordinator") || thread.contains("consumer")) {
                return "consumer";
            }
            return null;
        }

        private double redisCpuSeconds() {
            RedisClient client = RedisClient.create(RedisURI.create(redisUrl));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                double sum = 0;
                for (String line : c.sync().info("cpu").lines().toList()) {
                    if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                        sum += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
                    }
                }
                return sum;
            } finally {
                client.shutdown();
            }
        }
    }

    // ---------------------------------------------------------------- ceiling

    record Ceiling(double eventsPerSecond, List<String> lines) {}

    private static Ceiling ceiling(Options o, String redisUrl, RedisCommands<String, String> redis, Throughput t)
            throws Exception {
        for (Script s : Script.values()) {
            redis.scriptLoad(s.text());
        }
        URI uri = URI.create(redisUrl);
        String pxat = Long.toString(Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
        String session = new String(sampleValue(t.sessionValueBytes(), "j2:1.BeNcHmRk,1.BeNcHmRk|"),
                StandardCharsets.UTF_8);
        String interaction = new String(sampleValue(t.interactionValueBytes(), "j1:1.BeNcHmRk|"),
                StandardCharsets.UTF_8);
        String latest = new String(sampleValue(t.latestValueBytes(), "j1:1.BeNcHmRk|"), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        double sessionRate = redisBenchmark(o, uri, lines, "session put   ", t.sessionValueBytes(),
                "EVALSHA", Script.PUT.sha1(), "1", "rb:{__rand_int__}:s", session, pxat, "supersede");
        double interactionRate = redisBenchmark(o, uri, lines, "interaction   ", t.interactionValueBytes(),
                "EVALSHA", Script.PUT_INTERACTION.sha1(), "2", "rb:{__rand_int__}:i:x", "rb:{__rand_int__}:ix",
                interaction, pxat, "x", "supersede");
        double combinedRate = redisBenchmark(o, uri, lines, "interaction + latest", t.interactionValueBytes()
                        + t.latestValueBytes(), "EVALSHA", Script.PUT_INTERACTION_AND_LATEST.sha1(), "3",
                "rb:{__rand_int__}:i:x", "rb:{__rand_int__}:ix", "rb:{__rand_int__}:latest", interaction, pxat, "x",
                latest, pxat, "supersede");
        redisBenchmark(o, uri, lines, "(plain SET, for reference)", t.sessionValueBytes(),
                "SET", "rb:{__rand_int__}:set", session, "PXAT", pxat);
        // Every interaction of the stream is cached, so each latest-response write went in one call with its
        // interaction's write; the other interaction writes went alone.
        double secondsPerEvent = t.sessionCallsPerEvent() / sessionRate
                + (t.interactionCallsPerEvent() - t.latestCallsPerEvent()) / interactionRate
                + t.latestCallsPerEvent() / combinedRate;
        for (String pattern : List.of("rb:*")) {
            List<String> keys;
            do {
                keys = redis.scan(io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(10_000)).getKeys();
                if (!keys.isEmpty()) {
                    redis.unlink(keys.toArray(String[]::new));
                }
            } while (!keys.isEmpty());
        }
        return new Ceiling(1 / secondsPerEvent, lines);
    }

    /** A value of exactly {@code bytes} bytes with a real header, as the scripts parse it. */
    private static byte[] sampleValue(int bytes, String header) {
        StringBuilder sb = new StringBuilder(header).append("{\"r\":\"");
        while (sb.length() < bytes - 2) {
            sb.append('x');
        }
        sb.append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double redisBenchmark(Options o, URI redis, List<String> lines, String label, int valueBytes,
                                         String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("redis-benchmark", "-h", redis.getHost(),
                "-p", Integer.toString(redis.getPort()), "-n", Integer.toString(o.requests()),
                "-c", Integer.toString(o.clients()), "-P", Integer.toString(o.pipeline()), "-r", "100000000", "--csv"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("redis-benchmark failed: " + out);
        }
        String last = out.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElseThrow();
        // "<test name, may hold commas>","<rps>","<avg latency>",...
        String[] fields = last.split("\",\"");
        double rps = Double.parseDouble(fields[1].replace("\"", ""));
        lines.add(String.format(Locale.ROOT, "redis-benchmark %s %,10.0f calls/s  (value %d B, -c %d -P %d, %s)",
                label, rps, valueBytes, o.clients(), o.pipeline(), command[0]));
        return rps;
    }

    // ---------------------------------------------------------------- bytes per key

    /**
     * MEMORY USAGE of each key kind, written by cache-store exactly as cache-writer writes it, with the production
     * key layout: prefix {@code mtp:}, session {@code session-123}, interaction {@code int-789} (the seed's ids).
     * Each row's keys are removed before the next. On an external Redis ({@code REDIS_URL}) the keys are written
     * under a prefix of the same length that nothing else uses.
     */
    private static void memory(String redisUrl, RedisCommands<String, String> redis, boolean ownRedis)
            throws Exception {
        String prefix = ownRedis ? "mtp:" : "mt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(16)) + ":";
        String session = "session-123";
        String interaction = "int-789";
        System.out.printf(Locale.ROOT, "%n== bytes per key (MEMORY USAGE: key, value, expiry), keys as %s{%s}:s%n",
                prefix, session);
        System.out.printf(Locale.ROOT, "%-29s %6s | %21s | %21s%n", "", "", "seed example payload", "realistic payload");
        System.out.printf(Locale.ROOT, "%-29s %6s | %10s %10s | %10s %10s%n", "key (strategy)", "seed", "plain",
                "compressed", "plain", "compressed");
        Instant now = Instant.now();
        Map<String, long[]> rows = new LinkedHashMap<>();
        int column = 0;
        for (boolean realistic : new boolean[] {false, true}) {
            for (boolean compress : new boolean[] {false, true}) {
                CacheStoreSettings settings = CacheStoreSettings.defaults(URI.create(redisUrl), prefix)
                        .withCompression(compress);
                try (RedisCacheStore store = RedisCacheStore.open(settings, Clock.systemUTC())) {
                    var keys = store.keys();
                    for (SessionCacheStrategy s : List.of(SessionCacheStrategy.CRITICAL_ONLY,
                            SessionCacheStrategy.WITH_CONTEXT, SessionCacheStrategy.FULL_SESSION)) {
                        SessionState state = SessionFold.apply(SessionState.empty(session), realistic
                                ? Payloads.realisticSession(session, s.name(), now)
                                : Payloads.seedSession(session, s.name(), now), Version.of(BENCH, 1_234_567))
                                .state();
                        state = SessionFold.apply(state, realistic
                                ? Payloads.realisticInteraction(session, interaction, "RESPONSE_ONLY", now)
                                : Payloads.seedInteraction(session, interaction, "RESPONSE_ONLY", now),
                                Version.of(BENCH, 7_654_321)).state();
                        store.write(CacheWrite.session(state, false, SUPERSEDE, BENCH)).get(10, TimeUnit.SECONDS);
                        record(rows, "session " + s, s.targetBytes(), column, redis.memoryUsage(keys.session(session)));
                        redis.unlink(keys.session(session));
                    }
                    for (InteractionCacheStrategy s : List.of(InteractionCacheStrategy.RESPONSE_ONLY,
                            InteractionCacheStrategy.WITH_CONTEXT, InteractionCacheStrategy.FULL_INTERACTION)) {
                        EventEnvelope e = realistic ? Payloads.realisticInteraction(session, interaction, s.name(), now)
                                : Payloads.seedInteraction(session, interaction, s.name(), now);
                        store.write(CacheWrite.interaction(e, Version.of(BENCH, 7_654_321), SUPERSEDE))
                                .get(10, TimeUnit.SECONDS);
                        record(rows, "interaction " + s, s.targetBytes(), column,
                                redis.memoryUsage(keys.interaction(session, interaction)));
                        if (s == InteractionCacheStrategy.RESPONSE_ONLY) {
                            record(rows, "latest response", 0, column, redis.memoryUsage(keys.latestResponse(session)));
                            record(rows, "interaction index (1 id)", 0, column,
                                    redis.memoryUsage(keys.interactionIndex(session)));
                        }
                        redis.unlink(keys.interaction(session, interaction), keys.latestResponse(session),
                                keys.interactionIndex(session));
                    }
                    store.write(new CacheWrite.RemoveSession(session, VersionVector.session(Version.of(BENCH, 9),
                            Version.of(BENCH, 9)), true, SUPERSEDE)).get(10, TimeUnit.SECONDS);
                    record(rows, "tombstone (NONE, deleted)", 0, column, redis.memoryUsage(keys.session(session)));
                    redis.unlink(keys.session(session));
                }
                column++;
            }
        }
        rows.forEach((label, v) -> System.out.printf(Locale.ROOT, "%-29s %6s | %10d %10d | %10d %10d%n",
                label, v[4] == 0 ? "-" : "~" + v[4], v[0], v[1], v[2], v[3]));
        System.out.println("seed: the guide's \"Memory Usage Comparison\". Seed example payload: its usage examples verbatim"
                + " (the session with one interaction); realistic: a ~600-character response, a longer request, context"
                + " and metadata of a few keys each (Payloads). Values are deflated when their body has 256 bytes or"
                + " more and deflating saves.");
    }

    private static void record(Map<String, long[]> rows, String label, int seed, int column, Long bytes) {
        long[] row = rows.computeIfAbsent(label, l -> new long[5]);
        row[column] = bytes == null ? -1 : bytes;
        row[4] = seed;
    }

}
