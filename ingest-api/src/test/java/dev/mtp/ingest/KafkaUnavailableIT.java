package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Kafka gone after start: a clear 503 after the bounded wait, never a false success. */
class KafkaUnavailableIT {

    @Test
    void aWriteWhileKafkaIsDownAnswers503AfterTheBoundedWait() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
            // Picked after the broker took its ports: a port picked before could be one of them.
            int port = FreePorts.pick();
            RunningApp app = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "APP_TOPICS_PREFIX", "down.",
                    "APP_PUBLISH_TIMEOUT_MS", "1500",
                    // Only Kafka here: no cache fast path, no reads.
                    "APP_SYNC_FAST_PATH", "false",
                    "APP_READ_ENABLED", "false",
                    "HTTP_PORT", Integer.toString(port),
                    "OPS_PORT", "0"));
            try (app) {
                broker.close();

                long started = System.nanoTime();
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp/message"))
                                .POST(HttpRequest.BodyPublishers.ofString(SeedExamplesIT.PERSIST_SESSION)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long tookMs = (System.nanoTime() - started) / 1_000_000;

                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body()).contains("\"isError\":true").contains("Not persisted")
                        .contains("\"retryable\":true").doesNotContain("\"success\":true");
                assertThat(tookMs).as("bounded by app.publish.timeout-ms plus slack").isLessThan(15_000);

                HttpResponse<String> api = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/sessions"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"sessionId\":\"s-1\",\"userId\":\"u-1\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(api.statusCode()).isEqualTo(503);
                assertThat(api.headers().firstValue("Retry-After")).isPresent();
                assertThat(api.body()).contains("\"retryable\":true").contains("Nothing was stored").doesNotContain("Exception:");

                // A session's writes in a batch are ordered: after its create failed, its interaction is not sent.
                HttpResponse<String> batch = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/batch"))
                                .POST(HttpRequest.BodyPublishers.ofString("""
                                        {"writes":[
                                          {"operation":"persist_session","arguments":{"sessionId":"b-1","userId":"u-1"}},
                                          {"operation":"persist_session","arguments":{"sessionId":"b-2","userId":"u-1"}},
                                          {"operation":"persist_interaction","arguments":{"sessionId":"b-1","role":"user","request":"hi"}}
                                        ]}""")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(batch.statusCode()).isEqualTo(503);
                JsonNode results = Json.mapper().readTree(batch.body()).get("results");
                assertThat(results.get(0).get("status").asInt()).isEqualTo(503);
                assertThat(results.get(1).get("status").asInt()).isEqualTo(503);
                assertThat(results.get(2).get("status").asInt()).isEqualTo(424);
                assertThat(results.get(2).get("failedWrite").asInt()).isZero();
                assertThat(results.get(2).get("error").asText()).contains("not sent").contains("writes[0]");
            }
        }
    }
}
