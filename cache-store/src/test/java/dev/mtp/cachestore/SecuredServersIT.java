package dev.mtp.cachestore;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.Application;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.StartFailure;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.KafkaHealthCheck;
import dev.mtp.testkit.TestCertificates;
import io.lettuce.core.RedisClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The runtime's connections, and the Redis client this module opens, against secured servers started here: a KRaft broker with a SASL_SSL listener
 * (SCRAM-SHA-512 user made through the Admin API) and a redis-server with TLS and an ACL user, both with
 * certificates of a private CA made at test time. Wrong credentials and an untrusted certificate each end the start
 * at once, in one line naming the server; no secret reaches the logs, /metrics or the health body.
 */
class SecuredServersIT {

    static final String KAFKA_USER = "mtp-app";
    static final String KAFKA_PASSWORD = "kafka-secret-Pw1";
    static final String REDIS_USER = "mtp-writer";
    static final String REDIS_PASSWORD = "redis-secret-Pw2";

    static final ConfigTable TABLE = ConfigTable.builder("secured-it").addAll(CommonConfigKeys.runtime(0))
            .addAll(CommonConfigKeys.KAFKA).add(CommonConfigKeys.REDIS_URL, CommonConfigKeys.REDIS_TLS_CA_FILE).build();

    static Path dir;
    static TestCertificates certs;
    static EmbeddedKafkaBroker broker;
    static RedisServerProcess redis;
    static int redisTlsPort;

    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startSecuredServers() throws Exception {
        dir = Files.createTempDirectory("mtp-secured-");
        certs = TestCertificates.generate(dir);
        broker = EmbeddedKafkaBroker.builder().saslSslListener(certs.serverKeystore(), certs.password()).start();
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

    static Path clientProperties(String password, Path truststore) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "client-", ".properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="%s" password="%s";
                ssl.truststore.type=PKCS12
                ssl.truststore.location=%s
                ssl.truststore.password=%s
                """.formatted(KAFKA_USER, password, truststore, certs.password()));
    }

    /** Every setting, the Redis URL with its password from a secret file, as Kubernetes would mount it. */
    static Map<String, String> environment(Path clientProperties, String redisPassword, Path redisCa) throws Exception {
        Path redisUrl = Files.writeString(Files.createTempFile(dir, "redis-url-", ""),
                "rediss://" + REDIS_USER + ":" + redisPassword + "@localhost:" + redisTlsPort + "\n");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.secureBootstrapServers());
        env.put("KAFKA_CONFIG_FILE", clientProperties.toString());
        env.put("REDIS_URL_FILE", redisUrl.toString());
        env.put("REDIS_TLS_CA_FILE", redisCa.toString());
        env.put("APP_LIFECYCLE_STARTUP_TIMEOUT_MS", "30000");
        return env;
    }

    static final Application KAFKA_AND_REDIS = ctx -> {
        Admin admin = ctx.open("admin", Admin.create(KafkaClients.admin(ctx.config())));
        ctx.awaitHealthy(new KafkaHealthCheck(admin, Duration.ofSeconds(5)));
        ctx.addHealthCheck(new KafkaHealthCheck(admin, Duration.ofSeconds(5)));
        RedisClient client = RedisConnections.open(ctx);
        ctx.open("probe", client.connect()).sync().set("secured-it", "written over TLS as " + REDIS_USER);
    };

    @Test
    void every_client_connects_through_SASL_SSL_and_redis_TLS_with_an_ACL_user_and_no_secret_shows() throws Exception {
        Map<String, String> env = environment(clientProperties(KAFKA_PASSWORD, certs.caTruststore()), REDIS_PASSWORD,
                certs.caPem());
        try (RunningApp app = AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env)) {
            String topic = "secured-" + System.nanoTime();
            try (Admin admin = Admin.create(KafkaClients.admin(app.config()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (var producer = new KafkaProducer<>(KafkaClients.producer(app.config()), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "over SASL_SSL")).get(30, TimeUnit.SECONDS);
            }
            try (var consumer = new KafkaConsumer<>(KafkaClients.consumer(app.config(), "secured-it"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                ConsumerRecords<String, String> records = ConsumerRecords.empty();
                for (int i = 0; i < 30 && records.isEmpty(); i++) {
                    records = consumer.poll(Duration.ofSeconds(1));
                }
                assertThat(records.iterator().next().value()).isEqualTo("over SASL_SSL");
            }
            String readiness = get(app.opsPort(), "/health/ready");
            String metrics = get(app.opsPort(), "/metrics");
            assertThat(readiness).contains("\"kafka\"").contains("\"redis\"");
            assertThat(List.of(readiness, metrics)).allSatisfy(body -> assertNoSecret(body));
        }
        assertThat(logText()).contains("config kafka.config-file: sasl.jaas.config=**** (kafka client property)")
                .contains("config kafka.config-file: security.protocol=SASL_SSL")
                .contains("config redis.url=rediss://" + REDIS_USER + ":****@localhost:" + redisTlsPort);
        assertNoSecret(logText());
    }

    @Test
    void a_wrong_kafka_password_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment(clientProperties("not-the-" + KAFKA_PASSWORD, certs.caTruststore()),
                REDIS_PASSWORD, certs.caPem());
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env));
        assertThat(f.line()).startsWith("secured-it: cannot start: kafka refused the connection: authentication "
                + "failed (Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + "SCRAM-SHA-512)");
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(f.isExpected()).as("printed without a stack trace").isTrue();
        assertNoSecret(logText());
    }

    @Test
    void a_kafka_certificate_from_another_ca_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment(clientProperties(KAFKA_PASSWORD, certs.otherCaTruststore()),
                REDIS_PASSWORD, certs.caPem());
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env));
        assertThat(f.line()).startsWith("secured-it: cannot start: kafka: TLS handshake failed: the server's "
                + "certificate is not trusted (");
        assertThat(f.isExpected()).isTrue();
    }

    @Test
    void a_wrong_redis_password_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment(clientProperties(KAFKA_PASSWORD, certs.caTruststore()),
                "not-the-" + REDIS_PASSWORD, certs.caPem());
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env));
        assertThat(f.line()).isEqualTo("secured-it: cannot start: redis refused the connection: authentication "
                + "failed (WRONGPASS invalid username-password pair or user is disabled.)");
        assertThat(f.isExpected()).isTrue();
        assertNoSecret(logText());
    }

    @Test
    void a_redis_certificate_from_another_ca_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment(clientProperties(KAFKA_PASSWORD, certs.caTruststore()), REDIS_PASSWORD,
                certs.otherCaPem());
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env));
        assertThat(f.line()).startsWith("secured-it: cannot start: redis: TLS handshake failed: the server's "
                + "certificate is not trusted (");
        assertThat(f.isExpected()).isTrue();
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Messages, key-value pairs and exceptions of every event logged during the test. */
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
        assertThat(text).doesNotContain(KAFKA_PASSWORD).doesNotContain(REDIS_PASSWORD)
                .doesNotContain(certs.password());
    }
}
