package dev.mtp.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import dev.mtp.embedded.FreePorts;
import dev.mtp.ingest.IngestApp;
import dev.mtp.ingest.IngestConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.HeadlessChromium;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code analyze} end to end: a real ingest measures the reads and writes of its HTTP traffic into MongoDB's usage
 * buckets, a record sits on the dead-letter topic, and the CLI reads both back, with Redis's key space, as JSON, as
 * the table, and as the HTML report opened in a real headless Chromium.
 */
@RealServers
class AnalyzeIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void analyzesMeasuredUsageAsJsonAsATableAndAsAReportThatRenders(TestNamespace ns, @TempDir Path dir)
            throws Exception {
        try (Cli cli = new Cli(ns, Map.of("redis.url", ns.redisUrl(), "mongodb.uri", ns.mongoUri(),
                "mongodb.database", ns.mongoDatabaseName(), "app.cache.key-prefix", ns.redisKeyPrefix()))) {
            cli.createTopics();
            int port = FreePorts.pick();
            try (RunningApp ingest = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", ns.kafkaBootstrapServers()),
                    Map.entry("APP_TOPICS_PREFIX", ns.topicPrefix()), Map.entry("REDIS_URL", ns.redisUrl()),
                    Map.entry("APP_CACHE_KEY_PREFIX", ns.redisKeyPrefix()), Map.entry("MONGODB_URI", ns.mongoUri()),
                    Map.entry("MONGODB_DATABASE", ns.mongoDatabaseName()), Map.entry("HTTP_HOST", "127.0.0.1"),
                    Map.entry("HTTP_PORT", Integer.toString(port)), Map.entry("OPS_PORT", "0"),
                    Map.entry("APP_TOPICS_PARTITIONS", "2"),
                    // a bucket a second, every key sampled at this scale
                    Map.entry("APP_USAGE_BUCKET_MS", "1000"), Map.entry("APP_USAGE_SAMPLE_RATE_PPM", "1000000")))) {
                String base = "http://127.0.0.1:" + port;
                // High frequency: sessions cached WITH_CONTEXT, each read three times right away (Redis answers)
                for (int i = 0; i < 20; i++) {
                    send(base, "POST", "/api/v1/sessions", "{\"sessionId\":\"hf-" + i + "\",\"userId\":\"u-1\","
                            + "\"context\":{\"topic\":\"t\"},\"cacheStrategy\":\"WITH_CONTEXT\"}", 202);
                }
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 20; i++) {
                        send(base, "GET", "/api/v1/sessions/hf-" + i, null, 200);
                    }
                }
                // Archival: sessions not cached and never read
                for (int i = 0; i < 10; i++) {
                    send(base, "POST", "/api/v1/sessions", "{\"sessionId\":\"ar-" + i + "\",\"userId\":\"u-1\","
                            + "\"cacheStrategy\":\"NONE\"}", 202);
                }
                try (KafkaProducer<byte[], byte[]> producer = cli.producer()) {
                    producer.send(new ProducerRecord<>(cli.topics.deadLetter().name(),
                            "hf-0".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8))).get();
                }

                AtomicReference<JsonNode> json = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Cli.Run run = cli.run("analyze", "--window-minutes", "60", "--json");
                    json.set(run.exitCode() == 0 ? Json.mapper().readTree(run.out()) : null);
                    return json.get() != null
                            && row(json.get(), "WITH_CONTEXT").map(r -> r.get("reads").asLong() == 60).orElse(false)
                            && row(json.get(), "NONE").map(r -> r.get("writes").asLong() == 10).orElse(false);
                });
                JsonNode analysis = json.get().get("analysis");
                JsonNode hot = row(json.get(), "WITH_CONTEXT").orElseThrow();
                assertThat(hot.get("writes").asLong()).isEqualTo(20);
                assertThat(hot.at("/hitRatio/redis").asDouble()).isEqualTo(1.0);
                assertThat(hot.at("/pattern/type").asText()).as(hot.toString()).isEqualTo("HIGH_FREQUENCY");
                assertThat(hot.at("/keys/seen").asLong()).as("scanned in Redis: %s", hot).isEqualTo(20);
                assertThat(hot.at("/keys/bytesPerKey").asDouble()).isPositive();
                assertThat(row(json.get(), "NONE").orElseThrow().at("/pattern/type").asText()).isEqualTo("ARCHIVAL");
                assertThat(analysis.get("deadLetters").asLong()).isEqualTo(1);
                assertThat(analysis.get("findings").toString()).contains("SYNC_FAILURES");
                assertThat(json.get().at("/recommendations/basis").asText()).isEqualTo("measured usage");
                assertThat(json.get().at("/recommendations/recommendations")).isNotEmpty();

                Cli.Run table = cli.run("analyze", "--window-minutes", "60");
                assertThat(table.exitCode()).as(table.err()).isZero();
                assertThat(table.out())
                        .containsPattern("usage over 60 min: [0-9.]+ s measured, \\d+ buckets from \\[ingest-api")
                        .containsPattern("entity\\s+strategy\\s+writes/s\\s+reads/s\\s+Redis hit")
                        .containsPattern("session\\s+WITH_CONTEXT\\s+.*\\s1\\.0\\s.*High Frequency")
                        .containsPattern("session\\s+NONE\\s+[0-9.]+\\s+0\\.0\\s+-\\s+-\\s+-\\s+-\\s+Archival")
                        .contains("finding SYNC_FAILURES (dead letters): 1 records a writer could not apply")
                        .containsPattern("recommend session WITH_CONTEXT: (KEEP|SWITCH)")
                        .contains("recommended profile: ");

                Path report = dir.resolve("usage.html");
                Cli.Run html = cli.run("analyze", "--window-minutes", "60", "--html", report.toString());
                assertThat(html.exitCode()).as(html.err()).isZero();
                assertThat(html.out()).contains("report written to " + report);
                String dom = HeadlessChromium.dumpDom(report, dir.resolve("chromium"));
                assertThat(dom).contains("data-charts=\"4\"").contains("class=\"today\"")
                        .contains("session WITH_CONTEXT: hit ratio").contains("session WITH_CONTEXT: memory (bytes)")
                        .contains("SYNC_FAILURES");
                assertThat(dom.split("<polyline", -1)).hasSize(5);
            }
        }
    }

    private static Optional<JsonNode> row(JsonNode json, String strategy) {
        for (JsonNode row : json.at("/analysis/strategies")) {
            if (row.get("entityType").asText().equals("session") && row.get("strategy").asText().equals(strategy)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    private void send(String base, String method, String path, String body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    }
}
