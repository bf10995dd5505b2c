package dev.mtp.benchmarks.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.mtp.common.json.Json;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.MongoStandIn;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.ingest.IngestApp;
import dev.mtp.ingest.IngestConfig;
import dev.mtp.mongowriter.MongoWriterApp;
import dev.mtp.mongowriter.MongoWriterConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import org.bson.Document;

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
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Latency of the seed's access patterns ("Access Pattern Performance"), as a client sees them through the ingest's
 * JSON API and MCP calls, against real servers (in-process Kafka broker, a private redis-server, the MongoDB
 * stand-in) with ingest-api and mongo-writer running, next to the bare store round trips measured in the same run:
 * <ul>
 *   <li>session status check, Redis hit (seed: 1-2 ms): {@code GET /api/v1/sessions/{id}} and the MCP bare call
 *       {@code get_session} of a CRITICAL_ONLY session; baseline: a plain Redis GET of its key;</li>
 *   <li>interaction response, Redis hit (seed: 1-2 ms): {@code GET /api/v1/interactions/{id}?sessionId=};</li>
 *   <li>full session retrieval, Redis and MongoDB (seed: 12-18 ms): a session the cache does not hold (strategy
 *       NONE), asked of Redis, then read from MongoDB; baseline: a plain MongoDB find by id;</li>
 *   <li>evaluation storage, MongoDB only (seed: 15-25 ms): {@code POST /api/v1/evaluations}, answered when Kafka
 *       acknowledged it, and until its document is in MongoDB (written behind by mongo-writer);</li>
 *   <li>complex queries (seed: 50-100 ms): the analysts' queries of decision 0006 on the evaluations collection.</li>
 * </ul>
 * One client, calls one after the other (latency, not throughput), after a warm-up of each. Not a test: run
 * {@code scripts/bench-access-patterns [--requests N] [--sessions S] [--evaluations E]}.
 */
public final class AccessPatternBenchmark {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Random random = new Random(42);

    private AccessPatternBenchmark(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = options(args);
        int requests = o.get("requests");
        int sessions = o.get("sessions");
        int evaluations = o.get("evaluations");
        String prefix = "ap" + Long.toHexString(System.nanoTime()) + ".";
        int port = FreePorts.pick();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
             RedisServerProcess redis = RedisServerProcess.builder().start();
             MongoStandIn mongo = MongoStandIn.inMemory(0);
             MongoClient mongoClient = MongoClients.create(mongo.connectionString())) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "APP_TOPICS_PREFIX", prefix,
                    "REDIS_URL", redis.url(),
                    "MONGODB_URI", mongo.connectionString(),
                    "MONGODB_DATABASE", "bench",
                    "OPS_PORT", "0"));
            Map<String, String> ingestEnv = new HashMap<>(env);
            ingestEnv.put("HTTP_HOST", "127.0.0.1");
            ingestEnv.put("HTTP_PORT", Integer.toString(port));
            try (RunningApp writer = AppLauncher.start(MongoWriterConfig.TABLE, MongoWriterApp::start, Map.of(), env);
                 RunningApp ingest = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), ingestEnv)) {
                AccessPatternBenchmark bench = new AccessPatternBenchmark("http://127.0.0.1:" + port);
                MongoDatabase db = mongoClient.getDatabase("bench");
                System.out.printf(Locale.ROOT, "access-pattern benchmark: %d sessions cached, %d not, %,d evaluations, "
                        + "%d calls per row, one client; %d cores%n", sessions, sessions, evaluations, requests,
                        Runtime.getRuntime().availableProcessors());
                bench.seed(sessions, evaluations, db);
                RedisClient redisClient = RedisClient.create(redis.url());
                try (var connection = redisClient.connect()) {
                    bench.measure(requests, sessions, db, connection.sync());
                } finally {
                    redisClient.shutdown();
                }
            }
        }
        System.exit(0); // the MCP SDK's session sweeper is not a daemon thread
    }

    // ---------------------------------------------------------------- data

    private static String cached(int i) {
        return "ap-cached-" + i;
    }

    private static String uncached(int i) {
        return "ap-uncached-" + i;
    }

    /** Sessions of both kinds with one interaction each, and evaluations of them; waits until MongoDB has them all. */
    private void seed(int sessions, int evaluations, MongoDatabase db) throws Exception {
        for (int i = 0; i < sessions; i++) {
            post("/api/v1/sessions", session(cached(i), "CRITICAL_ONLY"));
            post("/api/v1/sessions", session(uncached(i), "NONE"));
            post("/api/v1/interactions", Json.mapper().writeValueAsString(Map.of("interactionId", cached(i) + "-int",
                    "sessionId", cached(i), "role", "assistant", "request", "What are your product features?",
                    "response", "Our product offers real-time sync, role based access and audit trails.",
                    "cacheStrategy", "RESPONSE_ONLY", "processingTimeMs", 150)));
        }
        for (int done = 0; done < evaluations; done += 500) {
            List<Map<String, Object>> writes = new ArrayList<>();
            for (int n = done; n < Math.min(evaluations, done + 500); n++) {
                writes.add(Map.of("operation", "persist_evaluation", "arguments", evaluation(cached(n % sessions))));
            }
            post("/api/v1/batch", Json.mapper().writeValueAsString(Map.of("writes", writes)));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (db.getCollection("evaluations").countDocuments() < evaluations
                || db.getCollection("sessions").countDocuments() < 2L * sessions) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("mongo-writer did not catch up within 5 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static String session(String id, String strategy) throws Exception {
        return Json.mapper().writeValueAsString(Map.of("sessionId", id, "userId", "user-456", "status", "active",
                "context", Map.of("currentTopic", "product_inquiry"), "metadata", Map.of("source", "web_chat"),
                "cacheStrategy", strategy));
    }

    private Map<String, Object> evaluation(String sessionId) {
        return Map.of("entityId", sessionId, "entityType", "session", "evaluationData", Map.of(
                "satisfaction_score", 1 + random.nextInt(5), "resolution_time", 60 + random.nextInt(600),
                "sentiment", random.nextBoolean() ? "positive" : "neutral",
                "topics_covered", List.of("product_info", "pricing")));
    }

    // ---------------------------------------------------------------- measurements

    @FunctionalInterface
    private interface Call {
        void run(int i) throws Exception;
    }

    private record Row(String operation, String seed, long[] nanos) {}

    private void measure(int requests, int sessions, MongoDatabase db, RedisCommands<String, String> redis)
            throws Exception {
        MongoCollection<Document> evaluations = db.getCollection("evaluations");
        MongoCollection<Document> sessionDocs = db.getCollection("sessions");
        String mcpGetSession = "{\"method\":\"tools/call\",\"params\":{\"name\":\"get_session\",\"arguments\":"
                + "{\"sessionId\":\"%s\"}}}";
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("session status check: GET session, Redis hit|1-2 ms", i ->
                expectTier(get("/api/v1/sessions/" + cached(i % sessions)), "redis"));
        calls.put("session status check: MCP get_session, Redis hit|1-2 ms", i ->
                post("/mcp/message", mcpGetSession.formatted(cached(i % sessions))));
        calls.put("  baseline: Redis GET of the session key|", i ->
                redis.get("mtp:{" + cached(i % sessions) + "}:s"));
        calls.put("interaction response: GET interaction, Redis hit|1-2 ms", i ->
                expectTier(get("/api/v1/interactions/" + cached(i % sessions) + "-int?sessionId=" + cached(i % sessions)),
                        "redis"));
        calls.put("full session retrieval: GET session, Redis miss, MongoDB|12-18 ms", i ->
                expectTier(get("/api/v1/sessions/" + uncached(i % sessions)), "mongodb"));
        calls.put("  baseline: MongoDB find of the session by id|", i ->
                sessionDocs.find(Filters.eq("_id", uncached(i % sessions))).first());
        calls.put("evaluation storage: POST evaluation, answered at Kafka's ack|15-25 ms", i ->
                post("/api/v1/evaluations", Json.mapper().writeValueAsString(evaluation(cached(i % sessions)))));
        calls.put("evaluation storage: POST until the document is in MongoDB|15-25 ms", i -> {
            String eventId = Json.mapper().readTree(post("/api/v1/evaluations",
                    Json.mapper().writeValueAsString(evaluation(cached(i % sessions))))).path("eventId").asText();
            while (evaluations.find(Filters.eq("_id", eventId)).first() == null) {
                Thread.onSpinWait();
            }
        });
        Instant weekAgo = Instant.now().minus(Duration.ofDays(7));
        calls.put("complex query: satisfied sessions evaluated this week|50-100 ms", i ->
                evaluations.find(Filters.and(Filters.eq("entityType", "session"),
                        Filters.gte("evaluatedAt", java.util.Date.from(weekAgo)),
                        Filters.gte("evaluationData.satisfaction_score", 4))).into(new ArrayList<>()));
        calls.put("complex query: a session's evaluations, newest first|50-100 ms", i ->
                evaluations.find(Filters.eq("entityId", cached(i % sessions))).sort(Sorts.descending("evaluatedAt"))
                        .into(new ArrayList<>()));
        calls.put("complex query: average score per sentiment|50-100 ms", i ->
                evaluations.aggregate(List.of(Aggregates.match(Filters.eq("entityType", "session")),
                        Aggregates.group("$evaluationData.sentiment",
                                Accumulators.avg("avg", "$evaluationData.satisfaction_score")))).into(new ArrayList<>()));

        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Call> c : calls.entrySet()) {
            String[] label = c.getKey().split("\\|", -1);
            int n = label[0].startsWith("complex query") || label[0].contains("until the document") ? requests / 20 : requests;
            time(c.getValue(), Math.max(n / 4, 5));
            rows.add(new Row(label[0], label[1], time(c.getValue(), Math.max(n, 20))));
        }
        System.out.printf(Locale.ROOT, "%n%-66s %10s %9s %9s %9s %7s%n", "operation", "seed", "p50 ms", "p95 ms",
                "p99 ms", "calls");
        for (Row r : rows) {
            long[] t = r.nanos();
            System.out.printf(Locale.ROOT, "%-66s %10s %9.2f %9.2f %9.2f %7d%n", r.operation(), r.seed(),
                    percentile(t, 50), percentile(t, 95), percentile(t, 99), t.length);
        }
    }

    private static long[] time(Call call, int n) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.run(i);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    // ---------------------------------------------------------------- HTTP

    private String get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private String post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The read must have been answered by the tier the row claims, or the row measures something else. */
    private static void expectTier(String body, String tier) throws Exception {
        JsonNode answer = Json.mapper().readTree(body);
        if (!tier.equals(answer.path("tier").asText())) {
            throw new IllegalStateException("expected an answer from " + tier + ": " + body);
        }
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> o = new LinkedHashMap<>(Map.of("requests", 2_000, "sessions", 500, "evaluations", 20_000));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: --requests=N --sessions=S "
                        + "--evaluations=E");
            }
            o.put(kv[0], Integer.parseInt(kv[1]));
        }
        return o;
    }
}
