package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.mongowriter.MongoWriterApp;
import dev.mtp.mongowriter.MongoWriterConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that passes the version it was answered never reads older state (docs/decisions/0022): its own write
 * through the version of the acknowledgement, and, when Redis lost its copy while MongoDB lags behind it, a 503 "Not
 * visible yet" instead of MongoDB's older document, until mongo-writer catches up.
 */
@RealServers
class MonotonicReadsIT {
    private static IngestUnderTest ingest;
    private static TestNamespace namespace;

    @BeforeAll
    static void start(TestNamespace ns) {
        namespace = ns;
        ingest = IngestUnderTest.start(ns, Map.of("APP_READ_WAIT_MS", "300"));
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void aClientReadsItsOwnWriteWithTheAcknowledgedVersion() throws Exception {
        JsonNode ack = json(ingest.send("POST", "/api/v1/sessions",
                "{\"sessionId\":\"ryw-1\",\"userId\":\"u-1\",\"context\":{\"seq\":1},\"cacheStrategy\":\"FULL_SESSION\"}"));
        String version = ack.get("version").asText();

        HttpResponse<String> read = ingest.send("GET", "/api/v1/sessions/ryw-1?minVersion=" + version, null);

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(ack.get("syncMethod").asText()).isEqualTo("hybrid-direct");
        assertThat(json(read).get("tier").asText()).isEqualTo("redis");
        assertThat(json(read).get("version").asText()).startsWith(version);
        assertThat(json(read).at("/session/context/seq").asInt()).isEqualTo(1);
    }

    @Test
    void aRedisCopyLostWhileMongoDbLagsIsNotVisibleYetRatherThanOlder() throws Exception {
        String id = "lag-1";
        RunningApp mongoWriter = startMongoWriter();
        try {
            ingest.send("POST", "/api/v1/sessions",
                    "{\"sessionId\":\"" + id + "\",\"userId\":\"u-1\",\"context\":{\"seq\":1},\"cacheStrategy\":\"FULL_SESSION\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> storedSeq(id) == 1);
        } finally {
            mongoWriter.close();
        }
        JsonNode update = json(ingest.send("PATCH", "/api/v1/sessions/" + id, "{\"context\":{\"seq\":2}}"));
        String seen = update.get("version").asText();
        namespace.redis().sync().del(namespace.redisKeyPrefix() + "{" + id + "}:s");

        HttpResponse<String> refused = ingest.send("GET", "/api/v1/sessions/" + id + "?minVersion=" + seen, null);
        HttpResponse<String> unbounded = ingest.send("GET", "/api/v1/sessions/" + id, null);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(refused).get("title").asText()).isEqualTo("Not visible yet");
        assertThat(json(refused).get("detail").asText()).contains(seen);
        assertThat(json(unbounded).at("/session/context/seq").asInt()).as("without minVersion: MongoDB as it is")
                .isEqualTo(1);

        mongoWriter = startMongoWriter();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> storedSeq(id) == 2);
            HttpResponse<String> caughtUp = ingest.send("GET", "/api/v1/sessions/" + id + "?minVersion=" + seen, null);

            assertThat(caughtUp.statusCode()).as(caughtUp.body()).isEqualTo(200);
            assertThat(json(caughtUp).get("tier").asText()).isEqualTo("mongodb");
            assertThat(json(caughtUp).at("/session/context/seq").asInt()).isEqualTo(2);
        } finally {
            mongoWriter.close();
        }
    }

    @Test
    void aMalformedVersionIsRefusedNamingMinVersion() throws Exception {
        HttpResponse<String> response = ingest.send("GET", "/api/v1/sessions/any-1?minVersion=yesterday", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("minVersion");
        assertThat(json(response).get("detail").asText()).contains("must be a version token", "'yesterday'");
    }

    private static RunningApp startMongoWriter() {
        return AppLauncher.start(MongoWriterConfig.TABLE, MongoWriterApp::start, Map.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", namespace.kafkaBootstrapServers(), "APP_TOPICS_PREFIX", namespace.topicPrefix(),
                "MONGODB_URI", namespace.mongoUri(), "MONGODB_DATABASE", namespace.mongoDatabaseName(), "OPS_PORT", "0",
                "APP_MONGO_WRITER_GROUP_ID", namespace.group("mongo-writer")));
    }

    private static int storedSeq(String sessionId) {
        Document doc = namespace.mongoDatabase().getCollection("sessions").find(eq("_id", sessionId)).first();
        return doc != null && doc.get("context") instanceof Document context && context.get("seq") instanceof Number n
                ? n.intValue() : 0;
    }
}
