package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.testkit.RealServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.bson.Document;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The plain JSON API (docs/api/openapi.yaml) against the real ingest and a real broker. */
@RealServers
class JsonApiIT {
    @RegisterExtension
    static final IngestUnderTest ingest = IngestUnderTest.perClass(Map.of());

    @Test
    void anUpdateRightAfterTheCreateIsAcceptedAndOrderedAfterIt() throws Exception {
        HttpResponse<String> created = ingest.send("POST", "/api/v1/sessions",
                "{\"sessionId\":\"api-1\",\"userId\":\"u-1\",\"context\":{\"topic\":\"billing\"},\"cacheStrategy\":\"FULL_SESSION\"}");
        HttpResponse<String> updated = ingest.send("PATCH", "/api/v1/sessions/api-1",
                "{\"status\":\"idle\",\"context\":{\"topic\":null,\"step\":2}}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(202);
        JsonNode first = json(created);
        JsonNode second = json(updated);
        assertThat(first.get("type").asText()).isEqualTo("session.created");
        assertThat(first.get("cacheStrategy").asText()).isEqualTo("FULL_SESSION");
        assertThat(second.get("type").asText()).isEqualTo("session.updated");
        assertThat(second.get("partition").asInt()).isEqualTo(first.get("partition").asInt());
        assertThat(second.get("offset").asLong()).isGreaterThan(first.get("offset").asLong());
        assertThat(second.get("syncMethod").asText()).isEqualTo("kafka-event");

        EventEnvelope event = eventAt(ingest.topics().sessions(), second);
        SessionUpdated update = (SessionUpdated) event.payload();
        assertThat(update.status()).isEqualTo("idle");
        assertThat(update.userId()).isNull();
        assertThat(update.context()).containsEntry("step", 2).containsEntry("topic", null);
        assertThat(update.metadata()).isNull();
    }

    @Test
    void anUpdateOfANeverPersistedSessionIsAcceptedTheIngestIsStateless() throws Exception {
        HttpResponse<String> response = ingest.send("PATCH", "/api/v1/sessions/never-created", "{\"status\":\"closed\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("type").asText()).isEqualTo("session.updated");
    }

    @Test
    void interactionsAndEvaluationsAreAcknowledgedWithTheirTopics() throws Exception {
        JsonNode interaction = json(ingest.send("POST", "/api/v1/interactions",
                "{\"sessionId\":\"api-2\",\"role\":\"user\",\"request\":\"hello\",\"cacheStrategy\":\"WITH_CONTEXT\"}"));
        JsonNode evaluation = json(ingest.send("POST", "/api/v1/evaluations", "{\"entityId\":\"" + interaction.get("entityId").asText()
                + "\",\"entityType\":\"interaction\",\"sessionId\":\"api-2\",\"evaluationData\":{\"helpful\":true}}"));

        assertThat(interaction.get("topic").asText()).isEqualTo(ingest.topics().interactions().name());
        assertThat(interaction.get("entityId").asText()).hasSize(36);
        assertThat(evaluation.get("topic").asText()).isEqualTo(ingest.topics().evaluations().name());
        assertThat(evaluation.get("sessionId").asText()).isEqualTo("api-2");
    }

    @Test
    void aBatchIsPublishedInOrderAndEachWriteGetsItsCoordinates() throws Exception {
        HttpResponse<String> response = ingest.send("POST", "/api/v1/batch", """
                {"writes":[
                  {"operation":"persist_session","arguments":{"sessionId":"batch-1","userId":"u-1"}},
                  {"operation":"persist_interaction","arguments":{"sessionId":"batch-1","role":"user","request":"hi"}},
                  {"operation":"update_session","arguments":{"sessionId":"batch-1","status":"idle"}},
                  {"operation":"persist_evaluation","arguments":{"entityId":"batch-1","entityType":"session","evaluationData":{"score":3}}}
                ]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("accepted").asInt()).isEqualTo(4);
        assertThat(body.get("failed").asInt()).isZero();
        JsonNode results = body.get("results");
        assertThat(results.get(0).get("type").asText()).isEqualTo("session.created");
        assertThat(results.get(2).get("type").asText()).isEqualTo("session.updated");
        assertThat(results.get(2).get("offset").asLong()).isGreaterThan(results.get(0).get("offset").asLong());
        assertThat(results.get(3).get("topic").asText()).isEqualTo(ingest.topics().evaluations().name());
    }

    @Test
    void aCachedSessionIsReadFromRedisRightAfterItsCreateThanksToTheFastPath() throws Exception {
        JsonNode created = json(ingest.send("POST", "/api/v1/sessions",
                "{\"sessionId\":\"read-1\",\"userId\":\"u-7\",\"context\":{\"topic\":\"billing\"},\"cacheStrategy\":\"FULL_SESSION\"}"));
        assertThat(created.get("syncMethod").asText()).isEqualTo("hybrid-direct");

        HttpResponse<String> response = ingest.send("GET", "/api/v1/sessions/read-1", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("tier").asText()).isEqualTo("redis");
        assertThat(body.get("cacheStrategy").asText()).isEqualTo("FULL_SESSION");
        assertThat(body.at("/session/userId").asText()).isEqualTo("u-7");
        assertThat(body.at("/session/context/topic").asText()).isEqualTo("billing");
    }

    @Test
    void anUncachedSessionIsReadFromMongoDBInTheWritersModel() throws Exception {
        // As mongo-writer stores it: user-map keys escaped by its codec, versions and bookkeeping beside the fields.
        ingest.namespace().mongoDatabase().getCollection("sessions").insertOne(new Document("_id", "mongo-1")
                .append("userId", "u-8").append("status", "closed").append("cacheStrategy", "NONE")
                .append("context", new Document("a%2Eb", 1)).append("createdAt", new java.util.Date(0))
                .append("versions", new Document("sessions", 4)).append("schemaVersion", 1));

        JsonNode body = json(ingest.send("GET", "/api/v1/sessions/mongo-1", null));

        assertThat(body.get("tier").asText()).isEqualTo("mongodb");
        assertThat(body.at("/session/sessionId").asText()).isEqualTo("mongo-1");
        assertThat(body.at("/session/context").get("a.b").asInt()).isEqualTo(1);
        assertThat(body.at("/session/createdAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(body.at("/session/created").asBoolean()).isTrue();
        assertThat(body.get("session").has("versions")).as("writer bookkeeping stays out").isFalse();
    }

    @Test
    void anInteractionWithoutItsSessionIdIsReadFromMongoDB() throws Exception {
        ingest.namespace().mongoDatabase().getCollection("interactions").insertOne(new Document("_id", "int-m1")
                .append("sessionId", "s-m1").append("role", "user").append("request", "hi").append("cacheStrategy", "NONE"));

        JsonNode body = json(ingest.send("GET", "/api/v1/interactions/int-m1", null));
        HttpResponse<String> otherSession = ingest.send("GET", "/api/v1/interactions/int-m1?sessionId=s-other", null);

        assertThat(body.get("tier").asText()).isEqualTo("mongodb");
        assertThat(body.at("/interaction/request").asText()).isEqualTo("hi");
        assertThat(otherSession.statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionInNeitherTierIs404() throws Exception {
        HttpResponse<String> response = ingest.send("GET", "/api/v1/sessions/nowhere-1", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("detail").asText()).contains("neither Redis nor MongoDB");
    }

    @Test
    void syncStatsAndLoadAreReadable() throws Exception {
        JsonNode stats = json(ingest.send("GET", "/api/v1/sync/stats", null));
        JsonNode load = json(ingest.send("GET", "/api/v1/sync/load", null));

        assertThat(stats.get("fastPathAvailable").asBoolean()).isTrue();
        assertThat(load.get("level").asText()).isEqualTo("NORMAL");
    }

    @Test
    void unknownPathsAndMethodsAreProblems() throws Exception {
        HttpResponse<String> missing = ingest.send("GET", "/api/v1/users", null);
        HttpResponse<String> wrongMethod = ingest.send("DELETE", "/api/v1/sessions/api-1", null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, PATCH");
    }

    private static EventEnvelope eventAt(TopicDescriptor<String, EventEnvelope> topic, JsonNode coordinates) {
        TopicPartition partition = new TopicPartition(topic.name(), coordinates.get("partition").asInt());
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ingest.namespace().kafkaBootstrapServers()),
                new StringDeserializer(), topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, coordinates.get("offset").asLong());
            var records = consumer.poll(Duration.ofSeconds(10)).records(partition);
            assertThat(records).isNotEmpty();
            return records.get(0).value();
        }
    }
}
