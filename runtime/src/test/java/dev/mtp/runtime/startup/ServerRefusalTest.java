package dev.mtp.runtime.startup;

import dev.mtp.testkit.TestCertificates;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerRefusalTest {

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
        assertThat(ServerRefusal.describe(new SslAuthenticationException("SSL handshake failed",
                TestCertificates.untrustedHandshake())))
                .contains("kafka: TLS handshake failed: the server's certificate is not trusted (PKIX path "
                        + "building failed)");
    }

    @Test
    void an_unreachable_server_is_no_refusal_waiting_may_help() {
        assertThat(ServerRefusal.describe(new TimeoutException("Timed out waiting for a node assignment"))).isEmpty();
        assertThat(ServerRefusal.describe(new RuntimeException(TestCertificates.untrustedHandshake()))).isEmpty();
    }
}
