package dev.mtp.system;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachewriter.CacheWriterApp;
import dev.mtp.cachewriter.CacheWriterConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.StartFailure;
import dev.mtp.testkit.CapturedLogs;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.SecuredServers;
import dev.mtp.testkit.TestCertificates;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mtp.testkit.SecuredServers.KAFKA_PASSWORD;
import static dev.mtp.testkit.SecuredServers.REDIS_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline against secured servers started here ({@link SecuredServers}: Kafka over SASL_SSL with a SCRAM
 * user, Redis over TLS with an ACL user, a private CA), every secret given as a file (docs/security.md). MongoDB is the
 * stand-in, which has neither authentication nor TLS. The seed's three calls land in both stores, the reconciler
 * repairs a dropped key, wrong credentials and untrusted certificates stop cache-writer's start in one line, and no
 * secret shows anywhere. cache-store's SecuredServersIT holds the runtime's own connections to the same servers.
 */
@RealServers
class SecuredServersIT {

    private static final Duration CONVERGED = Duration.ofSeconds(60);
    private static final String API_KEY = "api-key-secret-0123456789";

    @RegisterExtension
    static final SecuredServers servers = new SecuredServers(Stack.PARTITIONS);

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @TempDir
    Path reconcilerState;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theSeedsCallsLandInBothStoresAndTheReconcilerRepairsADroppedKey(TestNamespace ns) throws Exception {
        CacheKeys keys = new CacheKeys(ns.redisKeyPrefix());
        TestCertificates certs = servers.certs();
        try (Stack stack = Stack.start(ns, servers.kafkaBootstrapServers(), reconcilerState,
                env -> secure(env, KAFKA_PASSWORD, certs.caTruststore(), REDIS_PASSWORD, certs.caPem()));
             StatefulRedisConnection<String, String> connection = secureRedis()) {
            RedisCommands<String, String> cache = connection.sync();
            for (String call : seedCalls()) {
                HttpResponse<String> answer = post(stack, "/mcp/message", call);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).doesNotContain("\"isError\":true");
            }
            await().atMost(CONVERGED).until(() -> cache.exists(keys.session("session-123")) == 1
                    && cache.exists(keys.interaction("session-123", "int-789")) == 1);
            await().atMost(CONVERGED).until(() -> ns.mongoDatabase().getCollection("sessions").countDocuments() == 1
                    && ns.mongoDatabase().getCollection("interactions").countDocuments() == 1
                    && ns.mongoDatabase().getCollection("evaluations").countDocuments() == 1);

            cache.del(keys.session("session-123"));
            await().atMost(CONVERGED).until(() -> cache.exists(keys.session("session-123")) == 1);

            List<String> shown = new ArrayList<>();
            for (RunningApp app : stack.apps()) {
                shown.add(get(app.opsPort(), "/health/ready"));
                shown.add(get(app.opsPort(), "/metrics"));
            }
            shown.add(post(stack, "/mcp/message", "{\"method\":\"tools/call\",\"params\":{\"name\":\"persist_session\","
                    + "\"arguments\":{\"sessionId\":\"\"}}}").body());
            shown.add(post(stack, "/api/v1/sessions", "{not json").body());
            assertThat(shown).allSatisfy(SecuredServersIT::assertNoSecret);
        }
        assertThat(logs.text()).contains("config kafka.config-file: sasl.jaas.config=****");
        assertNoSecret(logs.text());
    }

    @Test
    void wrongCredentialsAndUntrustedCertificatesStopTheStartInOneLine(TestNamespace ns) throws Exception {
        TestCertificates certs = servers.certs();
        assertThat(failedStart(ns, "not-the-" + KAFKA_PASSWORD, certs.caTruststore(), REDIS_PASSWORD, certs.caPem()))
                .startsWith("cache-writer: cannot start: kafka refused the connection: authentication failed");
        assertThat(failedStart(ns, KAFKA_PASSWORD, certs.otherCaTruststore(), REDIS_PASSWORD, certs.caPem()))
                .startsWith("cache-writer: cannot start: kafka: TLS handshake failed: the server's certificate is "
                        + "not trusted");
        assertThat(failedStart(ns, KAFKA_PASSWORD, certs.caTruststore(), "not-the-" + REDIS_PASSWORD, certs.caPem()))
                .isEqualTo("cache-writer: cannot start: redis refused the connection: authentication failed "
                        + "(WRONGPASS invalid username-password pair or user is disabled.)");
        assertThat(failedStart(ns, KAFKA_PASSWORD, certs.caTruststore(), REDIS_PASSWORD, certs.otherCaPem()))
                .startsWith("cache-writer: cannot start: redis: TLS handshake failed: the server's certificate is "
                        + "not trusted");
        assertNoSecret(logs.text());
    }

    private String failedStart(TestNamespace ns, String kafkaPassword, Path truststore, String redisPassword,
                               Path redisCa) throws Exception {
        Map<String, String> env = Stack.environment(ns, servers.kafkaBootstrapServers());
        secure(env, kafkaPassword, truststore, redisPassword, redisCa);
        long start = System.nanoTime();
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(CacheWriterConfig.TABLE, CacheWriterApp::start, Map.of(), env));
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(f.isExpected()).as("printed without a stack trace: " + f.line()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for the start-up timeout")
                .isLessThan(Duration.ofSeconds(25));
        return f.line();
    }

    /** Secured servers, with every secret in a file, as Kubernetes would mount them. */
    private static void secure(Map<String, String> env, String kafkaPassword, Path truststore, String redisPassword,
                               Path redisCa) {
        env.remove("REDIS_URL");
        env.putAll(servers.secretFiles(kafkaPassword, truststore, redisPassword, redisCa));
        if (env.containsKey("HTTP_PORT")) { // the ingest: its API keys are a secret too
            env.put("APP_AUTH_MODE", "api-key");
            env.put("APP_AUTH_API_KEYS_FILE", servers.secretFile("api-keys-", API_KEY + "\n").toString());
        }
    }

    private static StatefulRedisConnection<String, String> secureRedis() {
        RedisClient client = RedisClient.create(RedisURI.create(servers.redisUrl(REDIS_PASSWORD)));
        client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                .trustManager(servers.certs().caPem().toFile()).build()).build());
        return client.connect();
    }

    private static List<String> seedCalls() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("scripts/demo.sh"))) {
            root = root.getParent();
        }
        String demo = Files.readString(root.resolve("scripts/demo.sh"));
        List<String> bodies = new ArrayList<>();
        for (String part : demo.split("-d '")) {
            if (part.startsWith("{")) {
                bodies.add(part.substring(0, part.indexOf("}'") + 1));
            }
        }
        assertThat(bodies).hasSize(3);
        return bodies;
    }

    private HttpResponse<String> post(Stack stack, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.httpPort() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void assertNoSecret(String text) {
        assertThat(servers.secrets()).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
        assertThat(text).doesNotContain(API_KEY);
    }
}
