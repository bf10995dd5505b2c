package dev.mtp.cachestore;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.Application;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.StartFailure;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.KafkaHealthCheck;
import dev.mtp.testkit.CapturedLogs;
import dev.mtp.testkit.SecuredServers;
import io.lettuce.core.RedisClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.mtp.testkit.SecuredServers.KAFKA_PASSWORD;
import static dev.mtp.testkit.SecuredServers.REDIS_PASSWORD;
import static dev.mtp.testkit.SecuredServers.REDIS_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The runtime's connections, and the Redis client this module opens, against secured servers ({@link SecuredServers}:
 * Kafka over SASL_SSL with a SCRAM user, Redis over TLS with an ACL user, a private CA). Wrong credentials and an
 * untrusted certificate each end the start at once, in one line naming the server; no secret reaches the logs,
 * /metrics or the health body. system-tests' SecuredServersIT starts the whole pipeline against the same servers.
 */
class SecuredServersIT {

    static final ConfigTable TABLE = ConfigTable.builder("secured-it").addAll(CommonConfigKeys.runtime(0))
            .addAll(CommonConfigKeys.KAFKA).add(CommonConfigKeys.REDIS_URL, CommonConfigKeys.REDIS_TLS_CA_FILE).build();

    @RegisterExtension
    static final SecuredServers servers = new SecuredServers(1);

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    final HttpClient http = HttpClient.newHttpClient();

    /** Every setting: the broker's secured listener, and each secret in a file. */
    static Map<String, String> environment(String kafkaPassword, Path truststore, String redisPassword, Path redisCa) {
        Map<String, String> env = new HashMap<>(servers.secretFiles(kafkaPassword, truststore, redisPassword, redisCa));
        env.put("KAFKA_BOOTSTRAP_SERVERS", servers.kafkaBootstrapServers());
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
        Map<String, String> env = environment(KAFKA_PASSWORD, servers.certs().caTruststore(), REDIS_PASSWORD,
                servers.certs().caPem());
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
        assertThat(logs.text()).contains("config kafka.config-file: sasl.jaas.config=**** (kafka client property)")
                .contains("config kafka.config-file: security.protocol=SASL_SSL")
                .contains("config redis.url=rediss://" + REDIS_USER + ":****@localhost:" + servers.redisTlsPort());
        assertNoSecret(logs.text());
    }

    @Test
    void a_wrong_kafka_password_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment("not-the-" + KAFKA_PASSWORD, servers.certs().caTruststore(),
                REDIS_PASSWORD, servers.certs().caPem());
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env));
        assertThat(f.line()).startsWith("secured-it: cannot start: kafka refused the connection: authentication "
                + "failed (Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + "SCRAM-SHA-512)");
        assertThat(f.exitCode()).isEqualTo(1);
        assertThat(f.isExpected()).as("printed without a stack trace").isTrue();
        assertNoSecret(logs.text());
    }

    @Test
    void a_kafka_certificate_from_another_ca_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment(KAFKA_PASSWORD, servers.certs().otherCaTruststore(), REDIS_PASSWORD,
                servers.certs().caPem());
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env));
        assertThat(f.line()).startsWith("secured-it: cannot start: kafka: TLS handshake failed: the server's "
                + "certificate is not trusted (");
        assertThat(f.isExpected()).isTrue();
    }

    @Test
    void a_wrong_redis_password_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment(KAFKA_PASSWORD, servers.certs().caTruststore(),
                "not-the-" + REDIS_PASSWORD, servers.certs().caPem());
        StartFailure f = catchThrowableOfType(StartFailure.class,
                () -> AppLauncher.start(TABLE, KAFKA_AND_REDIS, Map.of(), env));
        assertThat(f.line()).isEqualTo("secured-it: cannot start: redis refused the connection: authentication "
                + "failed (WRONGPASS invalid username-password pair or user is disabled.)");
        assertThat(f.isExpected()).isTrue();
        assertNoSecret(logs.text());
    }

    @Test
    void a_redis_certificate_from_another_ca_ends_the_start_at_once_in_one_line() throws Exception {
        Map<String, String> env = environment(KAFKA_PASSWORD, servers.certs().caTruststore(), REDIS_PASSWORD,
                servers.certs().otherCaPem());
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

    private static void assertNoSecret(String text) {
        assertThat(servers.secrets()).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    }
}
