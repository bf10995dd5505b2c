package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachewriter.CacheWriterApp;
import dev.mtp.cachewriter.CacheWriterConfig;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.mongowriter.MongoWriterApp;
import dev.mtp.mongowriter.MongoWriterConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Usage measurement and its analysis on the real stack: two ingest instances (each bucket flushed after a second,
 * every key sampled at this scale), cache-writer, mongo-writer, Kafka, Redis and MongoDB. Each test owns one entity
 * type and strategy, so their rows do not mix.
 */
@RealServers
class UsageAnalysisIT {
    static final Map<String, String> USAGE = Map.of("APP_USAGE_BUCKET_MS", "1000",
            "APP_USAGE_SAMPLE_RATE_PPM", "1000000", "APP_USAGE_MAX_SAMPLED_KEYS", "100000");
    private static IngestUnderTest a;
    private static IngestUnderTest b;
    private static RunningApp mongoWriter;
    private static RunningApp cacheWriter;
    private static TestNamespace namespace;

    @BeforeAll
    static void start(TestNamespace ns) {
        namespace = ns;
        a = IngestUnderTest.start(ns, USAGE);
        b = IngestUnderTest.start(ns, USAGE);
        mongoWriter = AppLauncher.start(MongoWriterConfig.TABLE, MongoWriterApp::start, Map.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers(), "APP_TOPICS_PREFIX", ns.topicPrefix(),
                "MONGODB_URI", ns.mongoUri(), "MONGODB_DATABASE", ns.mongoDatabaseName(), "OPS_PORT", "0",
                "APP_MONGO_WRITER_GROUP_ID", ns.group("mongo-writer")));
        cacheWriter = AppLauncher.start(CacheWriterConfig.TABLE, CacheWriterApp::start, Map.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers(), "APP_TOPICS_PREFIX", ns.topicPrefix(),
                "REDIS_URL", ns.redisUrl(), "APP_CACHE_KEY_PREFIX", ns.redisKeyPrefix(), "OPS_PORT", "0"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable app : new AutoCloseable[] {cacheWriter, mongoWriter, b, a}) {
            try {
                if (app != null) {
                    app.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sessions written through one instance and read three times each through the other, soon, with their context. */
    @Test
    void highFrequencyTrafficThroughTwoInstancesIsSeenTogether() throws Exception {
        for (int i = 0; i < 20; i++) {
            post(a, "/api/v1/sessions", "{\"sessionId\":\"hf-" + i + "\",\"userId\":\"u-1\",\"context\":{\"topic\":\"t\"},"
                    + "\"cacheStrategy\":\"WITH_CONTEXT\"}");
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) {
                get(b, "/api/v1/sessions/hf-" + i);
            }
        }

        JsonNode row = awaitRow("session", "WITH_CONTEXT", r -> r.get("reads").asLong() == 60 && r.get("writes").asLong() == 20);
        JsonNode analysis = lastAnalysis.get();
        assertThat(analysis.at("/window/instances").size()).isEqualTo(2);
        assertThat(row.at("/hitRatio/redis").asDouble()).isEqualTo(1.0);
        assertThat(row.at("/pattern/type").asText()).as(row.toString()).isEqualTo("HIGH_FREQUENCY");
        assertThat(row.at("/pattern/seedStrategies/session").asText()).isEqualTo("WITH_CONTEXT");
        assertThat(row.at("/pattern/seedStrategies/interaction").asText()).isEqualTo("RESPONSE_ONLY");
    }

    /**
     * A third instance that flushes only when it stops (its bucket outlasts the test): after it stopped, its usage is
     * still in the analysis the others answer, so the analysis survives restarts and the last partial bucket is kept.
     */
    @Test
    void anInstanceThatStoppedIsStillCounted() throws Exception {
        Map<String, String> longBuckets = new java.util.HashMap<>(USAGE);
        longBuckets.put("APP_USAGE_BUCKET_MS", Long.toString(Duration.ofHours(1).toMillis()));
        try (IngestUnderTest c = IngestUnderTest.start(namespace, longBuckets)) {
            for (int i = 0; i < 15; i++) {
                post(c, "/api/v1/sessions", "{\"sessionId\":\"st-" + i + "\",\"userId\":\"u-1\","
                        + "\"cacheStrategy\":\"CRITICAL_ONLY\"}");
                get(c, "/api/v1/sessions/st-" + i);
            }
            assertThat(json(get(a, "/api/v1/usage/analysis?windowMinutes=60")).get("strategies"))
                    .as("nothing flushed while it runs")
                    .noneMatch(r -> r.get("entityType").asText().equals("session")
                            && r.get("strategy").asText().equals("CRITICAL_ONLY"));
        }

        JsonNode row = awaitRow("session", "CRITICAL_ONLY", r -> r.get("writes").asLong() == 15);
        assertThat(row.get("reads").asLong()).isEqualTo(15);
        assertThat(lastAnalysis.get().at("/window/instances").size()).isGreaterThanOrEqualTo(3);
    }

    /** Whole interactions read twice right after they were written. */
    @Test
    void realTimeTrafficIsRealTime() throws Exception {
        for (int i = 0; i < 20; i++) {
            post(a, "/api/v1/interactions", "{\"interactionId\":\"rt-" + i + "\",\"sessionId\":\"rt-s\",\"role\":\"user\","
                    + "\"request\":\"q\",\"response\":\"r\",\"cacheStrategy\":\"FULL_INTERACTION\"}");
            get(a, "/api/v1/interactions/rt-" + i + "?sessionId=rt-s");
            get(a, "/api/v1/interactions/rt-" + i + "?sessionId=rt-s");
        }

        JsonNode row = awaitRow("interaction", "FULL_INTERACTION", r -> r.get("reads").asLong() == 40);
        assertThat(row.at("/pattern/type").asText()).as(row.toString()).isEqualTo("REAL_TIME");
        assertThat(row.at("/pattern/seedStrategies/session").asText()).isEqualTo("FULL_SESSION");
        assertThat(row.at("/pattern/seedStrategies/interaction").asText()).isEqualTo("FULL_INTERACTION");
    }

    /** Sessions written and never read back. */
    @Test
    void writtenAndNotReadIsArchival() throws Exception {
        for (int i = 0; i < 30; i++) {
            post(b, "/api/v1/sessions", "{\"sessionId\":\"ar-" + i + "\",\"userId\":\"u-1\",\"cacheStrategy\":\"NONE\"}");
        }

        JsonNode row = awaitRow("session", "NONE", r -> r.get("writes").asLong() == 30);
        assertThat(row.at("/pattern/type").asText()).as(row.toString()).isEqualTo("ARCHIVAL");
        assertThat(row.at("/pattern/seedStrategies/session").asText()).isEqualTo("NONE");
        assertThat(row.at("/pattern/seedStrategies/interaction").asText()).isEqualTo("NONE");
    }

    /** Interactions another producer recorded two hours ago, read now: MongoDB answers, after their TTL. */
    @Test
    void readsLongAfterTheWriteAreAnalytical() throws Exception {
        produce("an-s", "an-", 25, "RESPONSE_ONLY", Instant.now().minus(Duration.ofHours(2)));
        await().atMost(Duration.ofSeconds(60)).until(() -> namespace.mongoDatabase().getCollection("interactions")
                .countDocuments(new Document("sessionId", "an-s")) == 25);
        for (int i = 0; i < 25; i++) {
            get(b, "/api/v1/interactions/an-" + i + "?sessionId=an-s");
        }

        JsonNode row = awaitRow("interaction", "RESPONSE_ONLY", r -> r.get("reads").asLong() == 25);
        assertThat(row.at("/readOutcomes/MONGODB_EXPIRED").asLong()).isEqualTo(25);
        assertThat(row.at("/pattern/type").asText()).as(row.toString()).isEqualTo("ANALYTICAL");
        assertThat(row.at("/pattern/seedStrategies/session").asText()).isEqualTo("CRITICAL_ONLY");
        assertThat(row.at("/pattern/seedStrategies/interaction").asText()).isEqualTo("NONE");
        assertThat(lastAnalysis.get().get("findings").toString()).contains("POOR_HIT_RATE");
    }

    /**
     * Interactions cached with NONE, each read twice: every read comes from MongoDB. A third were written through the
     * ingest and are read right away; a third by a direct producer, read once they are in the stores (only
     * cache-writer caches these); a third by a direct producer two hours ago, beyond every interaction TTL. The what-if
     * predicts WITH_CONTEXT's hit ratio from the sampled reuse times; then the same traffic with WITH_CONTEXT, with
     * cache-writer writing behind, measures it.
     */
    @Test
    void aWhatIfPredictionMatchesWhatHappensAfterSwitching() throws Exception {
        replay("wi-none", "NONE");
        awaitRow("interaction", "NONE", r -> r.get("reads").asLong() == 60);
        JsonNode advice = json(get(a, "/api/v1/usage/recommendations?windowMinutes=60&entityType=interaction"));
        JsonNode item = find(advice.get("recommendations"), "strategy", "NONE");
        assertThat(item.get("action").asText()).as(item.toString()).isEqualTo("SWITCH");
        JsonNode predicted = find(item.get("predictions"), "strategy", "WITH_CONTEXT");
        assertThat(predicted.get("sampleReads").asLong()).isEqualTo(60);

        replay("wi-ctx", "WITH_CONTEXT");
        JsonNode measured = awaitRow("interaction", "WITH_CONTEXT", r -> r.get("reads").asLong() == 60);

        assertThat(measured.at("/readOutcomes/MONGODB_EXPIRED").asLong()).as(measured.toString()).isEqualTo(20);
        assertThat(measured.at("/hitRatio/redis").asDouble()).isCloseTo(2 / 3.0, within(0.05));
        assertThat(predicted.get("hitRatio").asDouble()).as(item.toString())
                .isCloseTo(measured.at("/hitRatio/redis").asDouble(), within(0.05));
        // What the tools answer as text, for the example in docs/strategy-optimization.md.
        for (String tool : new String[] {"analyze_persistence_patterns", "get_persistence_recommendations"}) {
            HttpResponse<String> text = a.send("POST", "/mcp/message", "{\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"" + tool + "\",\"arguments\":{\"windowMinutes\":60,\"entityType\":\"interaction\"}}}");
            System.out.println(tool + ":\n" + json(text).at("/content/0/text").asText());
        }
    }

    @Test
    void badInputNamesTheField() throws Exception {
        assertBad(get(a, "/api/v1/usage/recommendations?patternType=BURSTY"), "patternType",
                "'BURSTY' is not a pattern type; valid: HIGH_FREQUENCY, REAL_TIME, ANALYTICAL, ARCHIVAL");
        assertBad(get(a, "/api/v1/usage/analysis?windowMinutes=0"), "windowMinutes", "must be between 1 and 10080, was 0");
        assertBad(get(a, "/api/v1/usage/analysis?entityType=evaluation"), "entityType",
                "'evaluation' is not one of session, interaction");
        assertBad(get(a, "/api/v1/usage/recommendations?accessFrequency=HIGH"), "dataSize",
                "is required when accessFrequency is HIGH");
        assertBad(get(a, "/api/v1/usage/recommendations?patternType=ARCHIVAL&dataSize=SMALL"), "patternType",
                "give either patternType or the decision tree's answers (dataSize), not both");

        HttpResponse<String> bare = a.send("POST", "/mcp/message", "{\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"analyze_persistence_patterns\",\"arguments\":{\"windowMinutes\":99999}}}");
        assertThat(json(bare).at("/structuredContent/field").asText()).isEqualTo("params.arguments.windowMinutes");
        assertThat(json(bare).get("isError").asBoolean()).isTrue();
    }

    // ---------------------------------------------------------------- traffic, waits and assertions

    private static final AtomicReference<JsonNode> lastAnalysis = new AtomicReference<>();

    /**
     * Thirty interactions of session {@code prefix} with {@code strategy}, each read twice once the stores have them:
     * ten written through the ingest, ten by a direct producer now, ten by a direct producer two hours ago.
     */
    private void replay(String prefix, String strategy) throws Exception {
        for (int i = 0; i < 10; i++) {
            post(a, "/api/v1/interactions", "{\"interactionId\":\"" + prefix + "-i" + i + "\",\"sessionId\":\"" + prefix
                    + "\",\"role\":\"user\",\"request\":\"q\",\"response\":\"r\",\"cacheStrategy\":\"" + strategy + "\"}");
        }
        produce(prefix, prefix + "-d", 10, strategy, Instant.now());
        produce(prefix, prefix + "-o", 10, strategy, Instant.now().minus(Duration.ofHours(2)));
        await().atMost(Duration.ofSeconds(60)).until(() -> namespace.mongoDatabase().getCollection("interactions")
                .countDocuments(new Document("sessionId", prefix)) == 30);
        if (!strategy.equals("NONE")) {
            CacheKeys keys = new CacheKeys(namespace.redisKeyPrefix());
            String[] direct = java.util.stream.IntStream.range(0, 10)
                    .mapToObj(i -> keys.interaction(prefix, prefix + "-d" + i)).toArray(String[]::new);
            await().atMost(Duration.ofSeconds(60)).until(() -> namespace.redis().sync().exists(direct) == 10);
        }
        for (int round = 0; round < 2; round++) {
            for (String part : new String[] {"-i", "-d", "-o"}) {
                for (int i = 0; i < 10; i++) {
                    get(a, "/api/v1/interactions/" + prefix + part + i + "?sessionId=" + prefix);
                }
            }
        }
    }

    /** {@code n} interactions of a session as a direct producer publishes them, recorded at {@code occurredAt}. */
    private static void produce(String sessionId, String idPrefix, int n, String strategy, Instant occurredAt)
            throws Exception {
        TopicDescriptor<String, EventEnvelope> topic = PersistenceTopics.withPrefix(namespace.topicPrefix()).interactions();
        try (KafkaProducer<String, EventEnvelope> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, namespace.kafkaBootstrapServers()),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic.name(), sessionId, EventEnvelope.of(UUID.randomUUID(),
                        sessionId, idPrefix + i, strategy, occurredAt, "usage-it",
                        new InteractionRecorded("assistant", "q", "r", Map.of(), Map.of(), null)))).get();
            }
        }
    }

    private static JsonNode awaitRow(String entity, String strategy, java.util.function.Predicate<JsonNode> done) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode analysis = json(get(a, "/api/v1/usage/analysis?windowMinutes=60"));
            lastAnalysis.set(analysis);
            for (JsonNode row : analysis.get("strategies")) {
                if (row.get("entityType").asText().equals(entity) && row.get("strategy").asText().equals(strategy)
                        && done.test(row)) {
                    found.set(row);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (item.get(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + list);
    }

    private static void post(IngestUnderTest ingest, String path, String body) throws Exception {
        HttpResponse<String> response = ingest.send("POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static HttpResponse<String> get(IngestUnderTest ingest, String path) throws Exception {
        return ingest.send("GET", path, null);
    }

    private static void assertBad(HttpResponse<String> response, String field, String rule) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo(field);
        assertThat(json(response).get("detail").asText()).isEqualTo(field + ": " + rule);
    }
}
