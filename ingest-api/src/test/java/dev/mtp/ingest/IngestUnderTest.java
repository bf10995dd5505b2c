package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.FreePorts;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.RealServersExtension;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real ingest app on a free port against the namespace's broker, with small HTTP helpers for tests. Started
 * directly by {@link #start}, or once per test class as its fixture:
 *
 * <pre>{@code
 * @RealServers
 * class JsonApiIT {
 *     @RegisterExtension
 *     static final IngestUnderTest ingest = IngestUnderTest.perClass(Map.of());
 * }
 * }</pre>
 */
public final class IngestUnderTest implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> moreEnv;
    private final HttpClient http = HttpClient.newHttpClient();
    private RunningApp app;
    private TestNamespace ns;
    private int port;
    private KafkaConsumer<String, String> offsets;

    private IngestUnderTest(Map<String, String> moreEnv) {
        this.moreEnv = moreEnv;
    }

    public static IngestUnderTest start(TestNamespace ns, Map<String, String> moreEnv) {
        IngestUnderTest ingest = new IngestUnderTest(moreEnv);
        ingest.startOn(ns);
        return ingest;
    }

    /** An ingest that starts before the class's first test, on the class-wide namespace, and stops after its last. */
    public static IngestUnderTest perClass(Map<String, String> moreEnv) {
        return new IngestUnderTest(moreEnv);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startOn(RealServersExtension.namespace(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (app != null) {
            close();
        }
    }

    private void startOn(TestNamespace namespace) {
        int freePort = FreePorts.pick();
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", namespace.kafkaBootstrapServers()),
                Map.entry("APP_TOPICS_PREFIX", namespace.topicPrefix()),
                Map.entry("REDIS_URL", namespace.redisUrl()),
                Map.entry("APP_CACHE_KEY_PREFIX", namespace.redisKeyPrefix()),
                Map.entry("MONGODB_URI", namespace.mongoUri()),
                Map.entry("MONGODB_DATABASE", namespace.mongoDatabaseName()),
                Map.entry("HTTP_HOST", "127.0.0.1"),
                Map.entry("HTTP_PORT", Integer.toString(freePort)),
                Map.entry("OPS_PORT", "0")));
        env.putAll(moreEnv);
        app = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), env);
        ns = namespace;
        port = freePort;
    }

    public TestNamespace namespace() {
        return ns;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public RunningApp app() {
        return app;
    }

    public PersistenceTopics topics() {
        return PersistenceTopics.withPrefix(ns.topicPrefix());
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    /** Records on every persistence topic: what "nothing reached Kafka" is checked against. */
    public long recordsOnPersistenceTopics() {
        PersistenceTopics topics = topics();
        if (offsets == null) {
            offsets = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers()),
                    new StringDeserializer(), new StringDeserializer());
        }
        long total = 0;
        for (String topic : List.of(topics.sessions().name(), topics.interactions().name(), topics.evaluations().name())) {
            var partitions = offsets.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            total += offsets.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
        return total;
    }

    @Override
    public void close() {
        if (offsets != null) {
            offsets.close();
        }
        app.close();
    }
}
