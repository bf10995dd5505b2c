package dev.mtp.runtime.tls;

import dev.mtp.common.config.ConfigException;
import dev.mtp.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemTrustTest {

    @TempDir
    Path dir;

    @Test
    void the_context_trusts_a_server_the_pem_s_ca_signed_and_no_other() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        SSLContext context = PemTrust.sslContext("mongodb.tls.ca-file", certs.caPem());
        assertThat(context.getProtocol()).isEqualTo("TLS");

        var chain = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificates(Files.newInputStream(certs.serverCertPem()))
                .toArray(new java.security.cert.X509Certificate[0]);
        X509TrustManager ca = trustManager(certs.caPem());
        ca.checkServerTrusted(chain, "RSA");
        assertThatThrownBy(() -> trustManager(certs.otherCaPem()).checkServerTrusted(chain, "RSA"))
                .isInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void a_file_without_certificates_names_the_setting() throws Exception {
        Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() -> PemTrust.sslContext("mongodb.tls.ca-file", empty))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: mongodb.tls.ca-file: ");
    }

    private static X509TrustManager trustManager(Path pem) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(PemTrust.trustStore("mongodb.tls.ca-file", pem));
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
