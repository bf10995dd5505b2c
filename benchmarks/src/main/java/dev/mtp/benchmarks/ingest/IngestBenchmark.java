package dev.mtp.benchmarks.ingest;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.Json;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.ChildJvm;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.KafkaBrokerMain;
import dev.mtp.ingest.IngestApp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest throughput and latency over loopback, side by side with a raw Kafka producer sending the same payloads in
 * the same run (design.md section 8: quote ratios measured in one run). Not a test: run it with
 * {@code scripts/bench-ingest [--events N] [--batch-size B] [--batch-rounds K] [--clients C] [--response-bytes R]
 * [--bootstrap host:port] [--jfr FILE] [--ingest-classes DIR]}: single-event scenarios send N events, batch scenarios
 * K times N. {@code --jfr} records the ingest's JVM (profile settings); {@code --ingest-classes} runs another build's
 * ingest classes (e.g. the code before a change, kept aside) against the same client and broker.
 *
 * <p>Scenarios, each with C client threads and the same interaction events (~1 KB as JSON by default):
 * <ul>
 *   <li>raw producer, single: {@code send(record).get()} per event, the producer configured as the ingest's
 *       (idempotent, acks=all, linger 1 ms, lz4);</li>
 *   <li>ingest JSON API, single: {@code POST /api/v1/interactions}, answered after Kafka's ack;</li>
 *   <li>ingest MCP bare call, single: the seed's {@code POST /mcp/message} tools/call persist_interaction;</li>
 *   <li>raw producer, batch: B sends, then wait for all B acks;</li>
 *   <li>ingest JSON API, batch: {@code POST /api/v1/batch} with B writes.</li>
 * </ul>
 * Latency is per call (an event, or a batch of B); throughput is events per second. The ingest runs in its own JVM
 * as {@code ./mtp} runs it, and so does the KRaft broker unless {@code --bootstrap} is given, so each row also gives
 * the CPU time per event of the ingest, of this JVM (the clients) and of the broker: on a shared machine those are
 * far steadier than throughput, and they say what the edge itself costs.
 */
public final class IngestBenchmark {
    private static final String SESSIONS = "bench-session-";
    private static int batchRounds = 5;

    private final int events;
    private final int batchSize;
    private final int clients;
    private final String response;

    private IngestBenchmark(int events, int batchSize, int clients, int responseBytes, int port) {
        this.port = port;
        this.events = events;
        this.batchSize = batchSize;
        this.clients = clients;
        this.response = "r".repeat(responseBytes);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int events = Integer.parseInt(options.getOrDefault("events", "20000"));
        int batch = Integer.parseInt(options.getOrDefault("batch-size", "100"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "8"));
        int responseBytes = Integer.parseInt(options.getOrDefault("response-bytes", "700"));
        batchRounds = Integer.parseInt(options.getOrDefault("batch-rounds", "5"));
        Path work = Files.createTempDirectory("ingest-bench");
        System.out.println("children's output in " + work);

        String bootstrap = options.get("bootstrap");
        ChildJvm broker = null;
        if (bootstrap == null) {
            int kafkaPort = FreePorts.pick();
            broker = ChildJvm.start("broker", System.getProperty("java.class.path"), List.of("-Xmx512m"), Map.of(),
                    KafkaBrokerMain.class.getName(), List.of("--data-dir", work.resolve("kafka").toString(),
                            "--port", Integer.toString(kafkaPort), "--controller-port", Integer.toString(FreePorts.pick())),
                    work.resolve("broker.log"));
            broker.awaitListening(kafkaPort, Duration.ofSeconds(120));
            bootstrap = "127.0.0.1:" + kafkaPort;
        }
        String prefix = "bench" + Long.toHexString(System.nanoTime()) + ".";
        int port = FreePorts.pick();
        ChildJvm ingest = ChildJvm.start("ingest", ingestClasspath(options.get("ingest-classes")),
                ingestJvmOptions(options.get("jfr")), Map.ofEntries(
                        Map.entry("KAFKA_BOOTSTRAP_SERVERS", bootstrap),
                        Map.entry("APP_TOPICS_PREFIX", prefix),
                        Map.entry("HTTP_HOST", "127.0.0.1"),
                        Map.entry("HTTP_PORT", Integer.toString(port)),
                        Map.entry("OPS_PORT", "0"),
                        Map.entry("APP_HTTP_MAX_BATCH_SIZE", Integer.toString(Math.max(batch, 1))),
                        // Kafka only: the comparison is ingest vs raw producer on the same broker (no cache fast path,
                        // no MongoDB for reads or the usage store).
                        Map.entry("APP_SYNC_FAST_PATH", "false"),
                        Map.entry("APP_READ_ENABLED", "false"),
                        Map.entry("APP_USAGE_ENABLED", "false"),
                        Map.entry("LOG_LEVEL", "WARN"), Map.entry("LOG_FORMAT", "text")),
                IngestApp.class.getName(), List.of(), work.resolve("ingest.log"));
        try (ingest; KafkaProducer<String, byte[]> raw = rawProducer(bootstrap)) {
            // The ingest creates the topics and waits until they are writable before it listens.
            ingest.awaitListening(port, Duration.ofSeconds(120));
            IngestBenchmark bench = new IngestBenchmark(events, batch, clients, responseBytes, port);
            String topic = PersistenceTopics.withPrefix(prefix).interactions().name();
            System.out.printf("ingest benchmark: %d events per scenario, batches of %d, %d clients, event ~%d bytes, broker %s%n",
                    events, batch, clients, bench.sampleEventBytes(), broker == null ? bootstrap : "own JVM " + bootstrap);

            Map<String, Integer> perCall = new LinkedHashMap<>();
            Map<String, Call> scenarios = new LinkedHashMap<>();
            scenarios.put("raw producer, single", i -> bench.rawSingle(raw, topic, i));
            scenarios.put("ingest JSON API, single", bench::apiSingle);
            scenarios.put("ingest MCP bare call, single", bench::mcpSingle);
            scenarios.put("raw producer, batch", i -> bench.rawBatch(raw, topic, i));
            scenarios.put("ingest JSON API, batch", bench::apiBatch);
            scenarios.keySet().forEach(name -> perCall.put(name, name.endsWith("batch") ? batch : 1));

            // Warm-up of every scenario (JIT, connections, producer metadata), not reported: half the timed calls.
            for (Map.Entry<String, Call> s : scenarios.entrySet()) {
                int n = perCall.get(s.getKey());
                bench.run("warm-up", (n == 1 ? events : events * batchRounds) / 2, n, s.getValue());
            }
            awaitJitQuiet(ingest);
            // Batches get batchRounds times more events than single calls, so they too are measured over many calls.
            CpuMeter cpu = new CpuMeter(ingest, broker);
            List<Result> results = new ArrayList<>();
            for (Map.Entry<String, Call> s : scenarios.entrySet()) {
                int n = perCall.get(s.getKey());
                CpuMeter.Reading before = cpu.read();
                Result timed = bench.run(s.getKey(), n == 1 ? events : events * batchRounds, n, s.getValue());
                results.add(timed.withCpu(cpu.read().minus(before).perEvent(timed.events())));
            }
            print(results);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /**
     * Waits, at most two minutes, until the ingest's JIT compilers have been quiet (under 1% of a core) for 3 s: on a
     * busy machine they are still compiling long after the warm-up, and their CPU would be counted as the edge's.
     */
    private static void awaitJitQuiet(ChildJvm ingest) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        double before = ingest.cpu().jit();
        int quietSeconds = 0;
        while (quietSeconds < 3 && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            double now = ingest.cpu().jit();
            quietSeconds = now - before < 0.01 ? quietSeconds + 1 : 0;
            before = now;
        }
    }

    /** The benchmark's class path, with another build's ingest classes first when given (old code against new). */
    /** Another build's ingest classes come first, so that they are the ones loaded. */
    private static String ingestClasspath(String ingestClasses) {
        String own = System.getProperty("java.class.path");
        return ingestClasses == null ? own : ingestClasses + File.pathSeparator + own;
    }

    /** As ./mtp runs the app (default collector, 384 MiB), with a flight recording when asked for. */
    private static List<String> ingestJvmOptions(String jfr) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx384m"));
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr).toAbsolutePath());
        }
        return jvm;
    }

    // ---------------------------------------------------------------- one call of each scenario

    @FunctionalInterface
    private interface Call {
        void run(long firstEvent) throws Exception;
    }

    private final int port;
    /** Each client thread's own keep-alive connection, closed when the thread's share of a scenario is done. */
    private final ThreadLocal<KeepAliveHttp> connection = new ThreadLocal<>();

    private void rawSingle(KafkaProducer<String, byte[]> raw, String topic, long i) throws Exception {
        raw.send(record(topic, i)).get();
    }

    private void rawBatch(KafkaProducer<String, byte[]> raw, String topic, long first) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batchSize);
        for (int k = 0; k < batchSize; k++) {
            acks.add(raw.send(record(topic, first + k)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private void apiSingle(long i) throws Exception {
        post("/api/v1/interactions", arguments(i), 202);
    }

    private void mcpSingle(long i) throws Exception {
        post("/mcp/message", "{\"method\":\"tools/call\",\"params\":{\"name\":\"persist_interaction\",\"arguments\":"
                + arguments(i) + "}}", 200);
    }

    private void apiBatch(long first) throws Exception {
        StringBuilder body = new StringBuilder("{\"writes\":[");
        for (int k = 0; k < batchSize; k++) {
            body.append(k == 0 ? "" : ",").append("{\"operation\":\"persist_interaction\",\"arguments\":")
                    .append(arguments(first + k)).append('}');
        }
        post("/api/v1/batch", body.append("]}").toString(), 200);
    }

    private void post(String path, String body, int expected) throws Exception {
        KeepAliveHttp http = connection.get();
        if (http == null) {
            http = new KeepAliveHttp(port);
            connection.set(http);
        }
        KeepAliveHttp.Answer answer = http.post(path, body.getBytes(StandardCharsets.UTF_8));
        if (answer.status() != expected) {
            throw new IllegalStateException(path + " answered " + answer.status() + ": " + answer.body());
        }
    }

    private void closeConnection() throws IOException {
        KeepAliveHttp http = connection.get();
        if (http != null) {
            http.close();
            connection.remove();
        }
    }

    // ---------------------------------------------------------------- the same payload on both sides

    private String arguments(long i) {
        return "{\"interactionId\":\"bench-" + i + "\",\"sessionId\":\"" + SESSIONS + (i % 1_000) + "\","
                + "\"role\":\"assistant\",\"request\":\"What are your product features?\",\"response\":\"" + response
                + "\",\"context\":{\"intent\":\"product_info\"},\"processingTimeMs\":150,\"cacheStrategy\":\"RESPONSE_ONLY\"}";
    }

    /** The event the ingest publishes for {@link #arguments}, encoded the same way. */
    private ProducerRecord<String, byte[]> record(String topic, long i) {
        EventEnvelope event = EventEnvelope.of(UUID.randomUUID(), SESSIONS + (i % 1_000), "bench-" + i, "RESPONSE_ONLY",
                Instant.now(), "bench", new InteractionRecorded("assistant", "What are your product features?", response,
                        Map.of("intent", "product_info"), Map.of(), 150L));
        return new ProducerRecord<>(topic, event.sessionId(), EventCodec.encode(event));
    }

    private int sampleEventBytes() {
        return record("t", 0).value().length;
    }

    private static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    // ---------------------------------------------------------------- driver

    record Result(String name, long events, double seconds, double p50Ms, double p99Ms, int perCall, CpuPerEvent cpu) {
        double perSecond() {
            return events / seconds;
        }

        Result withCpu(CpuPerEvent measured) {
            return new Result(name, events, seconds, p50Ms, p99Ms, perCall, measured);
        }
    }

    /**
     * Microseconds of CPU per event of each process; of the ingest's, the kernel's part and the JIT compilers'; the
     * broker's is NaN when it is not ours to measure.
     */
    record CpuPerEvent(double ingest, double ingestSystem, double ingestJit, double client, double broker) {
        double total() {
            return ingest + client + (Double.isNaN(broker) ? 0 : broker);
        }
    }

    /** CPU time of the three processes: the ingest and the broker in their own JVMs, this JVM as the client. */
    record CpuMeter(ChildJvm ingest, ChildJvm broker) {
        record Reading(double ingest, double ingestSystem, double ingestJit, double client, double broker) {
            Reading minus(Reading before) {
                return new Reading(ingest - before.ingest, ingestSystem - before.ingestSystem, ingestJit - before.ingestJit,
                        client - before.client, broker - before.broker);
            }

            CpuPerEvent perEvent(long events) {
                return new CpuPerEvent(ingest * 1e6 / events, ingestSystem * 1e6 / events, ingestJit * 1e6 / events,
                        client * 1e6 / events, broker * 1e6 / events);
            }
        }

        Reading read() throws java.io.IOException {
            long clientNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            ChildJvm.Cpu server = ingest.cpu();
            return new Reading(server.total(), server.system(), server.jit(), clientNanos / 1e9,
                    broker == null ? Double.NaN : broker.cpu().total());
        }
    }

    private Result run(String name, int totalEvents, int perCall, Call call) throws Exception {
        int calls = Math.max(1, totalEvents / perCall);
        long[] latencies = new long[calls];
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                long n;
                while ((n = next.getAndIncrement()) < calls) {
                    long t0 = System.nanoTime();
                    call.run(n * perCall + (name.equals("warm-up") ? 10_000_000L : 0));
                    latencies[(int) n] = System.nanoTime() - t0;
                }
                closeConnection();
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        return new Result(name, (long) calls * perCall, seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                perCall, null);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void print(List<Result> results) {
        System.out.printf("%n%-33s %8s %7s %9s %7s %8s %7s %7s | %-40s%n", "scenario", "events", "s", "events/s", "p50 ms",
                "p99 ms", "vs raw", "p99 vs", "CPU us/event: ingest (kernel, JIT) client broker all");
        Map<Integer, Result> raw = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.name().startsWith("raw")) {
                raw.put(r.perCall(), r);
            }
            Result base = raw.get(r.perCall());
            boolean ingest = base != null && base != r;
            System.out.printf("%-33s %8d %7.2f %9.0f %7.2f %8.2f %7s %7s | %20.1f (%5.1f, %5.1f) %6.1f %6.1f %6.1f%n",
                    r.name() + (r.perCall() > 1 ? " of " + r.perCall() : ""), r.events(), r.seconds(), r.perSecond(),
                    r.p50Ms(), r.p99Ms(),
                    ingest ? String.format("%.2fx", r.perSecond() / base.perSecond()) : "",
                    ingest ? String.format("%.2fx", r.p99Ms() / base.p99Ms()) : "",
                    r.cpu().ingest(), r.cpu().ingestSystem(), r.cpu().ingestJit(), r.cpu().client(), r.cpu().broker(),
                    r.cpu().total());
        }
        System.out.println("""

                Latency is per call (one event, or one batch); "vs raw" is events/s and "p99 vs" p99 against the raw
                producer's row of the same kind. CPU is per event over the scenario: the ingest's JVM (idle during the
                raw rows; in brackets its kernel part, system calls and thread wake-ups, and its JIT compilers' part,
                still compiling after the warm-up), this JVM (the HTTP clients, or the raw producer) and the broker's
                JVM. Shared machine: compare rows and CPU per event, not absolutes.""");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: [--events N] [--batch-size B] [--batch-rounds K] [--clients C] "
                        + "[--response-bytes R] [--bootstrap host:port] [--jfr FILE] [--ingest-classes DIR]; bad argument " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        Json.mapper();
        return options;
    }
}
