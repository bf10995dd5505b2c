package dev.mtp.ingest.bench;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.Json;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.ingest.IngestApp;
import dev.mtp.ingest.IngestConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * {@code ingest-api/bench.sh [--events N] [--batch-size B] [--batch-rounds K] [--clients C] [--response-bytes R]
 * [--bootstrap host:port]}: single-event scenarios send N events, batch scenarios K times N.
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
 * Latency is per call (an event, or a batch of B); throughput is events per second. Without {@code --bootstrap}
 * an in-process KRaft broker is started; everything shares the machine, so the figures are relative.
 */
public final class IngestBenchmark {
    private static final String SESSIONS = "bench-session-";
    private static int batchRounds = 5;

    private final int events;
    private final int batchSize;
    private final int clients;
    private final String response;

    private IngestBenchmark(int events, int batchSize, int clients, int responseBytes) {
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
        String bootstrap = options.get("bootstrap");
        batchRounds = Integer.parseInt(options.getOrDefault("batch-rounds", "5"));

        EmbeddedKafkaBroker broker = null;
        if (bootstrap == null) {
            broker = EmbeddedKafkaBroker.builder().start();
            bootstrap = broker.bootstrapServers();
        }
        String prefix = "bench" + Long.toHexString(System.nanoTime()) + ".";
        int port = FreePorts.pick();
        RunningApp app = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "APP_TOPICS_PREFIX", prefix,
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", Integer.toString(port),
                "OPS_PORT", "0",
                "APP_HTTP_MAX_BATCH_SIZE", Integer.toString(Math.max(batch, 1)),
                // Kafka only: the comparison is ingest vs raw producer on the same broker (no cache fast path).
                "APP_SYNC_FAST_PATH", "false",
                "APP_READ_ENABLED", "false"));
        try (app; KafkaProducer<String, byte[]> raw = rawProducer(bootstrap)) {
            IngestBenchmark bench = new IngestBenchmark(events, batch, clients, responseBytes);
            String base = "http://127.0.0.1:" + port;
            String topic = PersistenceTopics.withPrefix(prefix).interactions().name();
            System.out.printf("ingest benchmark: %d events per scenario, batches of %d, %d clients, event ~%d bytes, broker %s%n",
                    events, batch, clients, bench.sampleEventBytes(), broker == null ? bootstrap : "in-process " + bootstrap);

            Map<String, Integer> perCall = new LinkedHashMap<>();
            Map<String, Call> scenarios = new LinkedHashMap<>();
            scenarios.put("raw producer, single", i -> bench.rawSingle(raw, topic, i));
            scenarios.put("ingest JSON API, single", i -> bench.apiSingle(base, i));
            scenarios.put("ingest MCP bare call, single", i -> bench.mcpSingle(base, i));
            scenarios.put("raw producer, batch", i -> bench.rawBatch(raw, topic, i));
            scenarios.put("ingest JSON API, batch", i -> bench.apiBatch(base, i));
            scenarios.keySet().forEach(name -> perCall.put(name, name.endsWith("batch") ? batch : 1));

            // Warm-up of every scenario (JIT, connections, producer metadata), not reported.
            for (Map.Entry<String, Call> s : scenarios.entrySet()) {
                bench.run("warm-up", Math.min(events, 2_000) * perCall.get(s.getKey()) / (perCall.get(s.getKey()) == 1 ? 1 : 10),
                        perCall.get(s.getKey()), s.getValue());
            }
            // Batches get batchRounds times more events than single calls, so they too are measured over many calls.
            List<Result> results = new ArrayList<>();
            for (Map.Entry<String, Call> s : scenarios.entrySet()) {
                int n = perCall.get(s.getKey());
                results.add(bench.run(s.getKey(), n == 1 ? events : events * batchRounds, n, s.getValue()));
            }
            print(results);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        // The MCP SDK's Streamable HTTP transport leaves its session-sweeper thread (non-daemon) running after close.
        System.exit(0);
    }

    // ---------------------------------------------------------------- one call of each scenario

    @FunctionalInterface
    private interface Call {
        void run(long firstEvent) throws Exception;
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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

    private void apiSingle(String base, long i) throws Exception {
        post(base + "/api/v1/interactions", arguments(i), 202);
    }

    private void mcpSingle(String base, long i) throws Exception {
        post(base + "/mcp/message", "{\"method\":\"tools/call\",\"params\":{\"name\":\"persist_interaction\",\"arguments\":"
                + arguments(i) + "}}", 200);
    }

    private void apiBatch(String base, long first) throws Exception {
        StringBuilder body = new StringBuilder("{\"writes\":[");
        for (int k = 0; k < batchSize; k++) {
            body.append(k == 0 ? "" : ",").append("{\"operation\":\"persist_interaction\",\"arguments\":")
                    .append(arguments(first + k)).append('}');
        }
        post(base + "/api/v1/batch", body.append("]}").toString(), 200);
    }

    private void post(String url, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
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

    record Result(String name, long events, double seconds, double p50Ms, double p99Ms, int perCall) {
        double perSecond() {
            return events / seconds;
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
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        return new Result(name, (long) calls * perCall, seconds, percentile(latencies, 0.50), percentile(latencies, 0.99), perCall);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void print(List<Result> results) {
        System.out.printf("%n%-30s %9s %8s %12s %9s %9s %8s%n", "scenario", "events", "s", "events/s", "p50 ms", "p99 ms", "vs raw");
        Map<Integer, Double> raw = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.name().startsWith("raw")) {
                raw.put(r.perCall(), r.perSecond());
            }
            Double base = raw.get(r.perCall());
            System.out.printf("%-30s %9d %8.2f %12.0f %9.2f %9.2f %8s%n", r.name() + (r.perCall() > 1 ? " of " + r.perCall() : ""),
                    r.events(), r.seconds(), r.perSecond(), r.p50Ms(), r.p99Ms(),
                    base == null ? "" : String.format("%.2fx", r.perSecond() / base));
        }
        System.out.println("\nLatency is per call (one event, or one batch). Shared machine: compare rows, not absolutes.");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: [--events N] [--batch-size B] [--batch-rounds K] [--clients C] "
                        + "[--response-bytes R] [--bootstrap host:port]; bad argument " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        Json.mapper();
        return options;
    }
}
