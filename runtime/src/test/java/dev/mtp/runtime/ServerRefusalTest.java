package dev.mtp.runtime;

import com.mongodb.MongoSecurityException;
import com.mongodb.MongoCredential;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.security.cert.CertPathValidatorException;

import static org.assertj.core.api.Assertions.assertThat;

class ServerRefusalTest {

    static SSLHandshakeException untrusted() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed");
        e.initCause(new CertPathValidatorException("unable to find valid certification path to requested target"));
        return e;
    }

    @Test
    void wrong_kafka_credentials() {
        assertThat(ServerRefusal.describe(new RuntimeException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                        + "SCRAM-SHA-512"))))
                .contains("kafka refused the connection: authentication failed (Authentication failed during "
                        + "authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512)");
    }

    @Test
    void untrusted_kafka_certificate() {
        assertThat(ServerRefusal.describe(new SslAuthenticationException("SSL handshake failed", untrusted())))
                .contains("kafka: TLS handshake failed: the server's certificate is not trusted (PKIX path "
                        + "building failed)");
    }

    @Test
    void wrong_redis_credentials_and_untrusted_redis_certificate() {
        assertThat(ServerRefusal.describe(new RedisConnectionException("Unable to connect to localhost:6380",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair or user is disabled."))))
                .contains("redis refused the connection: authentication failed (WRONGPASS invalid "
                        + "username-password pair or user is disabled.)");
        assertThat(ServerRefusal.describe(new RedisConnectionException("Unable to connect to localhost:6380",
                untrusted())))
                .contains("redis: TLS handshake failed: the server's certificate is not trusted (PKIX path "
                        + "building failed)");
    }

    @Test
    void a_redis_user_without_the_permission() {
        assertThat(ServerRefusal.describe(new RedisCommandExecutionException(
                "NOPERM this user has no permissions to run the 'evalsha' command")))
                .contains("redis refused the request: not authorized (NOPERM this user has no permissions to run the "
                        + "'evalsha' command)");
    }

    @Test
    void wrong_mongodb_credentials() {
        assertThat(ServerRefusal.describe(new MongoSecurityException(
                MongoCredential.createScramSha256Credential("u", "admin", "pw".toCharArray()),
                "Exception authenticating MongoCredential{mechanism=SCRAM-SHA-256, userName='u'}")))
                .hasValueSatisfying(line -> assertThat(line)
                        .startsWith("mongodb refused the connection: authentication failed").doesNotContain("pw"));
    }

    @Test
    void an_unreachable_server_is_no_refusal_waiting_may_help() {
        assertThat(ServerRefusal.describe(new TimeoutException("Timed out waiting for a node assignment"))).isEmpty();
        assertThat(ServerRefusal.describe(new RedisConnectionException("Unable to connect to localhost:6380",
                new java.net.ConnectException("Connection refused")))).isEmpty();
        assertThat(ServerRefusal.describe(new RuntimeException(untrusted()))).isEmpty();
    }
}
