package dev.mtp.testkit;

import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.RedisServerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kafka and Redis secured as in production, started for one test class: a KRaft broker with a SASL_SSL listener (a
 * SCRAM-SHA-512 user made through the Admin API) and a redis-server with TLS and an ACL user, both with certificates
 * of a private CA made at test time. {@link #secretFiles} gives a client's settings with every secret in a file, as
 * Kubernetes would mount them; a wrong password or the other CA's trust store makes a start that must be refused.
 * <pre>
 * &#64;RegisterExtension
 * static final SecuredServers servers = new SecuredServers(1);
 * </pre>
 */
public final class SecuredServers implements BeforeAllCallback, AfterAllCallback {

    public static final String KAFKA_USER = "mtp-app";
    public static final String KAFKA_PASSWORD = "kafka-secret-Pw1";
    public static final String REDIS_USER = "mtp-writer";
    public static final String REDIS_PASSWORD = "redis-secret-Pw2";

    private final int partitions;
    private Path dir;
    private TestCertificates certs;
    private EmbeddedKafkaBroker broker;
    private RedisServerProcess redis;
    private int redisTlsPort;

    /** @param partitions of a topic the broker creates without a count */
    public SecuredServers(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("mtp-secured-");
        certs = TestCertificates.generate(dir);
        broker = EmbeddedKafkaBroker.builder().partitions(partitions)
                .saslSslListener(certs.serverKeystore(), certs.password()).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(KAFKA_USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), KAFKA_PASSWORD))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        redisTlsPort = FreePorts.pick();
        redis = startTlsRedis(certs, redisTlsPort, "*");
    }

    /**
     * A redis-server whose only port is {@code tlsPort}, with a certificate of {@code certs}' CA, and the ACL user
     * {@link #REDIS_USER}, allowed the keys that match {@code keys}: for a test of Redis alone.
     */
    public static RedisServerProcess startTlsRedis(TestCertificates certs, int tlsPort, String keys) {
        return RedisServerProcess.builder().args("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certs.serverCertPem().toString(), "--tls-key-file", certs.serverKeyPem().toString(),
                "--tls-ca-cert-file", certs.caPem().toString(), "--tls-auth-clients", "no",
                "--user", REDIS_USER, "on", ">" + REDIS_PASSWORD, "~" + keys, "&*", "+@all").start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (redis != null) {
            redis.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    public TestCertificates certs() {
        return certs;
    }

    /** {@code host:port} of the broker's SASL_SSL listener. */
    public String kafkaBootstrapServers() {
        return broker.secureBootstrapServers();
    }

    public int redisTlsPort() {
        return redisTlsPort;
    }

    /** The URL of the TLS port, as the ACL user with this password. */
    public String redisUrl(String password) {
        return "rediss://" + REDIS_USER + ":" + password + "@localhost:" + redisTlsPort;
    }

    /**
     * {@code KAFKA_CONFIG_FILE}, {@code REDIS_URL_FILE} and {@code REDIS_TLS_CA_FILE} of a client that logs in with
     * these passwords and trusts these CAs ({@link TestCertificates#caTruststore()} and {@link
     * TestCertificates#caPem()} for the servers' own).
     */
    public Map<String, String> secretFiles(String kafkaPassword, Path kafkaTruststore, String redisPassword,
                                           Path redisCa) {
        Path client = secretFile("client-", """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="%s" password="%s";
                ssl.truststore.type=PKCS12
                ssl.truststore.location=%s
                ssl.truststore.password=%s
                """.formatted(KAFKA_USER, kafkaPassword, kafkaTruststore, certs.password()));
        Path redisUrl = secretFile("redis-url-", redisUrl(redisPassword) + "\n");
        return Map.of("KAFKA_CONFIG_FILE", client.toString(), "REDIS_URL_FILE", redisUrl.toString(),
                "REDIS_TLS_CA_FILE", redisCa.toString());
    }

    /** A new file beside the certificates holding this secret. */
    public Path secretFile(String prefix, String content) {
        try {
            return Files.writeString(Files.createTempFile(dir, prefix, ""), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every secret these servers were set up with: none may show in a log, a metric or a response. */
    public List<String> secrets() {
        return List.of(KAFKA_PASSWORD, REDIS_PASSWORD, certs.password());
    }
}
