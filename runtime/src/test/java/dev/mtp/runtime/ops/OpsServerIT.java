package dev.mtp.runtime.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ops endpoints of a started app, over HTTP, as Kubernetes and Prometheus see them. */
class OpsServerIT {

    static final ConfigTable TABLE = ConfigTable.builder("ops-it").addAll(CommonConfigKeys.runtime(0))
            .addAll(CommonConfigKeys.KAFKA).build();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final AtomicBoolean redisUp = new AtomicBoolean(false);
    RunningApp app;

    @BeforeEach
    void start() {
        app = AppLauncher.start(TABLE, ctx -> {
            ctx.addHealthCheck(HealthCheck.of("redis", () -> {
                if (!redisUp.get()) {
                    throw new IOException("Connection refused");
                }
                return "PONG";
            }));
            // a consumer needs no broker to exist; its metrics are registered at construction
            KafkaConsumer<String, String> consumer = ctx.open("kafka consumer", new KafkaConsumer<>(
                    KafkaClients.consumer(ctx.config(), "ops-it"), new StringDeserializer(), new StringDeserializer()));
            KafkaClients.bindMetrics(ctx, consumer);
        }, Map.of(), Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop("test done");
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.opsPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void live_is_200_while_the_process_runs() throws Exception {
        HttpResponse<String> r = get("/health/live");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}\n");
    }

    @Test
    void ready_flips_from_503_to_200_when_every_check_passes() throws Exception {
        HttpResponse<String> down = get("/health/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode body = new ObjectMapper().readTree(down.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("checks").get(0).get("name").asText()).isEqualTo("lifecycle");
        assertThat(body.get("checks").get(0).get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks").get(1).get("name").asText()).isEqualTo("redis");
        assertThat(body.get("checks").get(1).get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("checks").get(1).get("detail").asText()).isEqualTo("Connection refused");

        redisUp.set(true);
        HttpResponse<String> up = get("/health/ready");
        assertThat(up.statusCode()).isEqualTo(200);
        JsonNode upBody = new ObjectMapper().readTree(up.body());
        assertThat(upBody.get("status").asText()).isEqualTo("UP");
        assertThat(upBody.get("checks").get(1).get("detail").asText()).isEqualTo("PONG");
        assertThat(upBody.get("checks").get(1).has("durationMs")).isTrue();
    }

    @Test
    void metrics_are_prometheus_text_with_jvm_process_and_kafka_client_meters_tagged_by_app() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body())
                .contains("# TYPE jvm_memory_used_bytes gauge")
                .contains("app=\"ops-it\"")
                .contains("process_uptime_seconds")
                .contains("jvm_gc_")
                .contains("system_cpu_count")
                .contains("kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void unknown_paths_are_404_and_other_methods_405() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/health/live/extra").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/health/ready");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(send("HEAD", "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void readiness_goes_down_when_shutdown_begins_and_the_port_closes_after() throws Exception {
        redisUp.set(true);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        int port = app.opsPort();
        app.stop("test");
        assertThat(app.readiness().up()).isFalse();
        assertThat(app.readiness().checks().getFirst().detail()).isEqualTo("stopped");
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        app = null;
    }
}
