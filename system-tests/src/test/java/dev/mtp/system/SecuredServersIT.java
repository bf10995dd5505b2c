package dev.mtp.system;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachewriter.CacheWriterApp;
import dev.mtp.cachewriter.CacheWriterConfig;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.StartFailure;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestCertificates;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline against secured servers started here: Kafka over SASL_SSL (SCRAM-SHA-512, a private CA) and
 * Redis over TLS with an ACL user, every secret given as a file (docs/security.md). MongoDB is the stand-in, which has
 * neither authentication nor TLS. The seed's three calls land in both stores, the reconciler repairs a dropped key,
 * wrong credentials and untrusted certificates stop a start in one line, and no secret shows anywhere.
 */
@RealServers
class SecuredServersIT {

    private static final Duration CONVERGED = Duration.ofSeconds(60);
    private static final String KAFKA_USER = "mtp";
    private static final String KAFKA_PASSWORD = "kafka-secret-Pw1";
    private static final String REDIS_USER = "mtp-writer";
    private static final String REDIS_PASSWORD = "redis-secret-Pw2";
    private static final String API_KEY = "api-key-secret-0123456789";

    static Path dir;
    static TestCertificates certs;
    static EmbeddedKafkaBroker broker;
    static RedisServerProcess redis;
    static int redisTlsPort;

    @TempDir
    Path reconcilerState;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startSecuredServers() throws Exception {
        dir = Files.createTempDirectory("mtp-secured-system-");
        certs = TestCertificates.generate(dir);
        broker = EmbeddedKafkaBroker.builder().partitions(Stack.PARTITIONS)
                .saslSslListener(certs.serverKeystore(), certs.password()).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(KAFKA_USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), KAFKA_PASSWORD))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        redisTlsPort = FreePorts.pick();
        redis = RedisServerProcess.builder().args("--tls-port", Integer.toString(redisTlsPort),
                "--tls-cert-file", certs.serverCertPem().toString(), "--tls-key-file", certs.serverKeyPem().toString(),
                "--tls-ca-cert-file", certs.caPem().toString(), "--tls-auth-clients", "no",
                "--user", REDIS_USER, "on", ">" + REDIS_PASSWORD, "~*", "&*", "+@all").start();
    }

    @AfterAll
    static void stopSecuredServers() {
        if (redis != null) {
            redis.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void theSeedsCallsLandInBothStoresAndTheReconcilerRepairsADroppedKey(TestNamespace ns) throws Exception {
        CacheKeys keys = new CacheKeys(ns.redisKeyPrefix());
        try (Stack stack = Stack.start(ns, broker.secureBootstrapServers(), reconcilerState,
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
        assertThat(logText()).contains("config kafka.config-file: sasl.jaas.config=****");
        assertNoSecret(logText());
    }

    @Test
    void wrongCredentialsAndUntrustedCertificatesStopTheStartInOneLine(TestNamespace ns) throws Exception {
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
        assertNoSecret(logText());
    }

    private String failedStart(TestNamespace ns, String kafkaPassword, Path truststore, String redisPassword,
                               Path redisCa) throws Exception {
        Map<String, String> env = Stack.environment(ns, broker.secureBootstrapServers());
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
        try {
            Path client = Files.writeString(Files.createTempFile(dir, "client-", ".properties"), """
                    security.protocol=SASL_SSL
                    sasl.mechanism=SCRAM-SHA-512
                    sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                      username="%s" password="%s";
                    ssl.truststore.type=PKCS12
                    ssl.truststore.location=%s
                    ssl.truststore.password=%s
                    """.formatted(KAFKA_USER, kafkaPassword, truststore, certs.password()));
            Path redisUrl = Files.writeString(Files.createTempFile(dir, "redis-url-", ""),
                    "rediss://" + REDIS_USER + ":" + redisPassword + "@localhost:" + redisTlsPort + "\n");
            Path apiKeys = Files.writeString(Files.createTempFile(dir, "api-keys-", ""), API_KEY + "\n");
            env.put("KAFKA_CONFIG_FILE", client.toString());
            env.remove("REDIS_URL");
            env.put("REDIS_URL_FILE", redisUrl.toString());
            env.put("REDIS_TLS_CA_FILE", redisCa.toString());
            if (env.containsKey("HTTP_PORT")) { // the ingest: its API keys are a secret too
                env.put("APP_AUTH_MODE", "api-key");
                env.put("APP_AUTH_API_KEYS_FILE", apiKeys.toString());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static StatefulRedisConnection<String, String> secureRedis() {
        RedisClient client = RedisClient.create(RedisURI.create("rediss://" + REDIS_USER + ":" + REDIS_PASSWORD
                + "@localhost:" + redisTlsPort));
        client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                .trustManager(certs.caPem().toFile()).build()).build());
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

    private String logText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            text.append(e.getFormattedMessage()).append(' ').append(e.getKeyValuePairs()).append(' ');
            for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName()).append(": ").append(t.getMessage()).append(' ');
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(KAFKA_PASSWORD).doesNotContain(REDIS_PASSWORD).doesNotContain(API_KEY)
                .doesNotContain(certs.password());
    }
}
