package dev.mtp.chaos.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Chat traffic through the ingest at a paced rate: sessions of every strategy (NONE included) created, updated (a
 * counter {@code context.seq} that only grows, for the regression watcher), given interactions of every strategy and
 * evaluations; closed and deleted by a direct producer (the ingest has no endpoint for either). Each write goes as a
 * single JSON call, a bare MCP call or inside a batch. A session is driven by one worker at a time, so its writes are
 * acknowledged in order.
 */
final class Traffic implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SESSION_STRATEGIES = {"NONE", "CRITICAL_ONLY", "WITH_CONTEXT", "FULL_SESSION"};
    private static final String[] INTERACTION_STRATEGIES = {"NONE", "RESPONSE_ONLY", "WITH_CONTEXT", "FULL_INTERACTION"};
    private static final int SESSIONS_PER_WORKER = 12;

    /** A session as the driver knows it. */
    static final class Session {
        final String id;
        long seq;
        boolean deleted;
        final List<String> interactions = new ArrayList<>();

        Session(String id) {
            this.id = id;
        }
    }

    private final Supplier<List<Integer>> ingestPorts;
    private final Recorder recorder;
    private final Consumer<ProbeTarget> probes;
    private final double probeShare;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final KafkaProducer<String, String> producer;
    private final long intervalNanos;
    private final AtomicLong nextSlot = new AtomicLong(System.nanoTime());
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong sessionCounter = new AtomicLong();
    final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /** A write to follow until it is visible in each store. */
    record ProbeTarget(String sessionId, String interactionId, boolean cached, long ackNanos, String phase) {
    }

    Traffic(String bootstrapServers, Supplier<List<Integer>> ingestPorts, double eventsPerSecond, Recorder recorder,
            Consumer<ProbeTarget> probes, double probeShare) {
        this.ingestPorts = ingestPorts;
        this.recorder = recorder;
        this.probes = probes;
        this.probeShare = probeShare;
        this.intervalNanos = (long) (1e9 / eventsPerSecond);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000", ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000",
                ProducerConfig.LINGER_MS_CONFIG, "5"), new StringSerializer(), new StringSerializer());
    }

    void start(int threads, long seed) {
        for (int t = 0; t < threads; t++) {
            Random random = new Random(seed + t);
            Thread worker = Thread.ofPlatform().name("traffic-" + t).daemon().start(() -> work(random));
            workers.add(worker);
        }
    }

    KafkaProducer<String, String> producer() {
        return producer;
    }

    private void work(Random random) {
        List<Session> mine = new ArrayList<>();
        while (running) {
            try {
                if (mine.size() < SESSIONS_PER_WORKER || random.nextInt(40) == 0) {
                    if (mine.size() >= SESSIONS_PER_WORKER) {
                        mine.remove(random.nextInt(mine.size()));
                    }
                    Session s = new Session("chaos-" + sessionCounter.incrementAndGet() + "-" + random.nextInt(1000));
                    sessions.put(s.id, s);
                    if (send(random, List.of(createSession(random, s)))) {
                        mine.add(s);
                    }
                    continue;
                }
                Session s = mine.get(random.nextInt(mine.size()));
                int roll = random.nextInt(100);
                if (roll < 2) {
                    publishDirect(s, "session.deleted", Map.of("reason", "chaos erasure"));
                    s.deleted = true;
                    mine.remove(s);
                } else if (roll < 5) {
                    publishDirect(s, "session.closed", Map.of("reason", "user left"));
                } else if (roll < 22) {
                    int n = 2 + random.nextInt(5);
                    List<Write> batch = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        batch.add(write(random, s));
                    }
                    send(random, batch);
                } else {
                    send(random, List.of(write(random, s)));
                }
            } catch (RuntimeException e) {
                recorder.unanswered(1, e);
            }
        }
    }

    /** One write: the tool name and arguments, as every channel takes them. */
    private record Write(String operation, ObjectNode arguments, Session session, boolean cachedInteraction) {
    }

    private Write write(Random random, Session s) {
        int roll = random.nextInt(100);
        if (roll < 25) {
            ObjectNode a = JSON.createObjectNode();
            a.put("sessionId", s.id);
            ObjectNode context = a.putObject("context");
            context.put("seq", ++s.seq);
            if (random.nextBoolean()) {
                context.putNull("step");
            } else {
                context.put("step", "step-" + random.nextInt(9));
            }
            if (random.nextInt(4) == 0) {
                a.put("status", random.nextBoolean() ? "idle" : "active");
            }
            if (random.nextInt(8) == 0) {
                a.put("cacheStrategy", SESSION_STRATEGIES[random.nextInt(SESSION_STRATEGIES.length)]);
            }
            return new Write("update_session", a, s, false);
        }
        if (roll < 85 || s.interactions.isEmpty()) {
            String strategy = INTERACTION_STRATEGIES[random.nextInt(INTERACTION_STRATEGIES.length)];
            String id = s.id + "-i" + s.interactions.size();
            s.interactions.add(id);
            ObjectNode a = JSON.createObjectNode();
            a.put("interactionId", id);
            a.put("sessionId", s.id);
            a.put("role", random.nextBoolean() ? "assistant" : "user");
            a.put("request", "What does plan " + random.nextInt(50) + " cost?");
            a.put("response", "Plan pricing: " + "the plan includes support and features. ".repeat(1 + random.nextInt(8)));
            a.putObject("context").put("intent", "pricing");
            a.putObject("metadata").put("model", "support-v" + random.nextInt(3));
            a.put("processingTimeMs", random.nextInt(900));
            a.put("cacheStrategy", strategy);
            return new Write("persist_interaction", a, s, !strategy.equals("NONE"));
        }
        ObjectNode a = JSON.createObjectNode();
        boolean ofInteraction = random.nextBoolean();
        a.put("entityType", ofInteraction ? "interaction" : "session");
        a.put("entityId", ofInteraction ? s.interactions.get(random.nextInt(s.interactions.size())) : s.id);
        a.put("sessionId", s.id);
        ObjectNode data = a.putObject("evaluationData");
        data.put("score", random.nextInt(50) / 10.0);
        data.put("sentiment", random.nextBoolean() ? "positive" : "neutral");
        return new Write("persist_evaluation", a, s, false);
    }

    private Write createSession(Random random, Session s) {
        ObjectNode a = JSON.createObjectNode();
        a.put("sessionId", s.id);
        a.put("userId", "user-" + random.nextInt(10_000));
        a.put("status", "active");
        a.putObject("context").put("seq", 0).put("currentTopic", "product_inquiry");
        a.putObject("metadata").put("source", "chaos");
        a.put("cacheStrategy", SESSION_STRATEGIES[random.nextInt(SESSION_STRATEGIES.length)]);
        return new Write("persist_session", a, s, false);
    }

    /** Sends the writes (one: single JSON or bare MCP; several: one batch); true when every one was acknowledged. */
    private boolean send(Random random, List<Write> writes) {
        pace(writes.size());
        List<Integer> ports = ingestPorts.get();
        if (ports.isEmpty()) {
            recorder.unanswered.addAndGet(writes.size());
            return false;
        }
        int port = ports.get(random.nextInt(ports.size()));
        try {
            if (writes.size() > 1) {
                return batch(port, writes);
            }
            Write w = writes.get(0);
            return random.nextInt(4) == 0 ? mcp(port, w) : single(port, w);
        } catch (IOException e) {
            recorder.unanswered(writes.size(), e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    private boolean single(int port, Write w) throws IOException, InterruptedException {
        String path;
        String method = "POST";
        ObjectNode body = w.arguments().deepCopy();
        switch (w.operation()) {
            case "persist_session" -> path = "/api/v1/sessions";
            case "update_session" -> {
                path = "/api/v1/sessions/" + w.session().id;
                method = "PATCH";
                body.remove("sessionId");
            }
            case "persist_interaction" -> path = "/api/v1/interactions";
            default -> path = "/api/v1/evaluations";
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202 || r.statusCode() == 200) {
            acknowledged(JSON.readTree(r.body()), w, "json");
            return true;
        }
        refusedOrFail(r.statusCode(), r.body());
        return false;
    }

    private boolean mcp(int port, Write w) throws IOException, InterruptedException {
        ObjectNode call = JSON.createObjectNode();
        call.put("method", "tools/call");
        ObjectNode params = call.putObject("params");
        params.put("name", w.operation());
        params.set("arguments", w.arguments());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp/message"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call.toString())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        JsonNode result = answer == null ? null : answer.has("result") ? answer.get("result") : answer;
        if (result != null && !result.path("isError").asBoolean(false) && result.has("structuredContent")) {
            acknowledged(result.get("structuredContent"), w, "mcp");
            return true;
        }
        if (result != null && result.path("isError").asBoolean(false)
                && result.path("structuredContent").path("retryable").asBoolean(false)) {
            recorder.refused.incrementAndGet();
            return false;
        }
        refusedOrFail(r.statusCode(), r.body());
        return false;
    }

    private boolean batch(int port, List<Write> writes) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("writes");
        writes.forEach(w -> {
            ObjectNode item = list.addObject();
            item.put("operation", w.operation());
            item.set("arguments", w.arguments());
        });
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/batch"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 207) {
            refusedOrFail(r.statusCode(), r.body());
            recorder.refused.addAndGet(writes.size() - 1);
            return false;
        }
        JsonNode results = JSON.readTree(r.body()).path("results");
        boolean all = true;
        for (int i = 0; i < writes.size(); i++) {
            JsonNode result = results.get(i);
            if (result != null && result.path("success").asBoolean(false)) {
                acknowledged(result, writes.get(i), "batch");
            } else {
                recorder.refused.incrementAndGet();
                all = false;
            }
        }
        return all;
    }

    private void acknowledged(JsonNode ack, Write w, String channel) {
        long now = System.nanoTime();
        recorder.ack(new Recorder.Ack(ack.path("topic").asText(), ack.path("partition").asInt(),
                ack.path("offset").asLong(), ack.path("eventId").asText(), w.session().id), channel,
                ack.path("type").asText());
        if (w.operation().equals("persist_interaction") && probeShare > 0
                && (Math.abs(ack.path("eventId").asText().hashCode()) % 1000) < probeShare * 1000) {
            probes.accept(new ProbeTarget(w.session().id, w.arguments().path("interactionId").asText(),
                    w.cachedInteraction(), now, recorder.phase()));
        }
    }

    /** 503 (Kafka did not acknowledge) is a refusal the contract allows; anything else is a driver or edge bug. */
    private void refusedOrFail(int status, String body) {
        if (status == 503 || status == 424) {
            recorder.refused.incrementAndGet();
        } else {
            throw new IllegalStateException("the ingest answered " + status + ": " + body);
        }
    }

    /** A close or delete, published as a direct producer would (docs/producers.md): keyed by session id. */
    private void publishDirect(Session s, String type, Map<String, String> payload) {
        pace(1);
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("eventId", UUID.randomUUID().toString());
        envelope.put("type", type);
        envelope.put("schemaVersion", 1);
        envelope.put("sessionId", s.id);
        envelope.put("entityId", s.id);
        envelope.put("occurredAt", Instant.now().toString());
        envelope.put("producer", "chaos@driver");
        ObjectNode p = envelope.putObject("payload");
        payload.forEach(p::put);
        try {
            RecordMetadata m = producer.send(new ProducerRecord<>(Stack.TOPIC_PREFIX + "sessions.v1", s.id,
                    envelope.toString())).get(130, TimeUnit.SECONDS);
            recorder.direct.incrementAndGet();
            recorder.ack(new Recorder.Ack(m.topic(), m.partition(), m.offset(), envelope.get("eventId").asText(), s.id),
                    "direct", type);
        } catch (Exception e) {
            recorder.unanswered(1, e);
        }
    }

    private void pace(int events) {
        long slot = nextSlot.getAndAdd(intervalNanos * events);
        long now = System.nanoTime();
        if (slot < now - TimeUnit.SECONDS.toNanos(1)) {
            nextSlot.set(now);
            return;
        }
        long wait = slot - now;
        if (wait > 0) {
            Stack.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
        }
    }

    void stop() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(90));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        producer.close(Duration.ofSeconds(10));
    }
}
