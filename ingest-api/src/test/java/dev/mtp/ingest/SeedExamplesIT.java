package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.json.Json;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.embedded.FreePorts;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's three curl examples, verbatim, against the real ingest and a real broker. */
@RealServers
class SeedExamplesIT {
    static final String PERSIST_SESSION = """
            {
              "method": "tools/call",
              "params": {
                "name": "persist_session",
                "arguments": {
                  "sessionId": "session-123",
                  "userId": "user-456",
                  "status": "active",
                  "context": {"currentTopic": "product_inquiry"},
                  "metadata": {"source": "web_chat"},
                  "cacheStrategy": "WITH_CONTEXT"
                }
              }
            }""";
    static final String PERSIST_INTERACTION = """
            {
              "method": "tools/call",
              "params": {
                "name": "persist_interaction",
                "arguments": {
                  "interactionId": "int-789",
                  "sessionId": "session-123",
                  "role": "assistant",
                  "request": "What are your product features?",
                  "response": "Our product offers...",
                  "context": {"intent": "product_info"},
                  "processingTimeMs": 150,
                  "cacheStrategy": "RESPONSE_ONLY"
                }
              }
            }""";
    static final String PERSIST_EVALUATION = """
            {
              "method": "tools/call",
              "params": {
                "name": "persist_evaluation",
                "arguments": {
                  "entityId": "session-123",
                  "entityType": "session",
                  "evaluationData": {
                    "satisfaction_score": 4.5,
                    "resolution_time": 300,
                    "topics_covered": ["product_info", "pricing"],
                    "sentiment": "positive"
                  }
                }
              }
            }""";

    private final HttpClient http = HttpClient.newHttpClient();
    private RunningApp app;
    private int port;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theThreeSeedCallsAreAcceptedWithTheCoordinatesOfTheirEvents(TestNamespace ns) throws Exception {
        start(ns, ns.kafkaBootstrapServers());
        PersistenceTopics topics = PersistenceTopics.withPrefix(ns.topicPrefix());

        JsonNode session = call(PERSIST_SESSION, 200);
        JsonNode interaction = call(PERSIST_INTERACTION, 200);
        JsonNode evaluation = call(PERSIST_EVALUATION, 200);

        assertThat(session.get("isError").asBoolean()).isFalse();
        EventEnvelope created = eventAt(ns, topics.sessions(), session.get("structuredContent"));
        assertThat(created.type()).isEqualTo(EventType.SESSION_CREATED);
        assertThat(created.cacheStrategy()).isEqualTo("WITH_CONTEXT");
        assertThat((SessionCreated) created.payload()).isEqualTo(new SessionCreated("user-456", "active",
                Map.of("currentTopic", "product_inquiry"), Map.of("source", "web_chat")));

        EventEnvelope recorded = eventAt(ns, topics.interactions(), interaction.get("structuredContent"));
        assertThat(recorded.entityId()).isEqualTo("int-789");
        assertThat(((InteractionRecorded) recorded.payload()).processingTimeMs()).isEqualTo(150L);

        EventEnvelope evaluated = eventAt(ns, topics.evaluations(), evaluation.get("structuredContent"));
        assertThat(((EvaluationRecorded) evaluated.payload()).evaluationData())
                .containsEntry("topics_covered", List.of("product_info", "pricing"));
        assertThat(evaluated.sessionId()).isEqualTo("session-123");
    }

    @Test
    void anUnknownStrategyIsRefusedWithTheValidNamesAndNothingIsPublished(TestNamespace ns) throws Exception {
        start(ns, ns.kafkaBootstrapServers());

        JsonNode answer = call(PERSIST_SESSION.replace("WITH_CONTEXT", "EVERYTHING"), 400);

        assertThat(answer.get("isError").asBoolean()).isTrue();
        assertThat(answer.get("structuredContent").get("field").asText()).isEqualTo("params.arguments.cacheStrategy");
        assertThat(answer.get("content").get(0).get("text").asText())
                .contains("'EVERYTHING' is not a session cache strategy; valid: NONE, CRITICAL_ONLY, WITH_CONTEXT, FULL_SESSION");
        assertThat(endOffset(ns, PersistenceTopics.withPrefix(ns.topicPrefix()).sessions().name())).isZero();
    }

    @Test
    void malformedJsonGetsAProblemBodyWithoutAStackTrace(TestNamespace ns) throws Exception {
        start(ns, ns.kafkaBootstrapServers());

        HttpResponse<String> response = post("{\"method\": \"tools/call\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(response.body()).contains("Malformed JSON").doesNotContain("at com.fasterxml").doesNotContain("Exception");
    }

    private void start(TestNamespace ns, String bootstrap) {
        port = FreePorts.pick();
        app = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "APP_TOPICS_PREFIX", ns.topicPrefix(),
                "REDIS_URL", ns.redisUrl(),
                "APP_CACHE_KEY_PREFIX", ns.redisKeyPrefix(),
                "MONGODB_URI", ns.mongoUri(),
                "MONGODB_DATABASE", ns.mongoDatabaseName(),
                "HTTP_PORT", Integer.toString(port),
                "OPS_PORT", "0"));
    }

    private JsonNode call(String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp/message"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static EventEnvelope eventAt(TestNamespace ns, TopicDescriptor<String, EventEnvelope> topic, JsonNode coordinates) {
        assertThat(coordinates.get("topic").asText()).isEqualTo(topic.name());
        TopicPartition partition = new TopicPartition(topic.name(), coordinates.get("partition").asInt());
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers()),
                new StringDeserializer(), topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, coordinates.get("offset").asLong());
            var records = consumer.poll(Duration.ofSeconds(10)).records(partition);
            assertThat(records).isNotEmpty();
            EventEnvelope event = records.get(0).value();
            assertThat(event.eventId().toString()).isEqualTo(coordinates.get("eventId").asText());
            assertThat(records.get(0).key()).isEqualTo(event.sessionId());
            return event;
        }
    }

    private static long endOffset(TestNamespace ns, String topic) throws Exception {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
