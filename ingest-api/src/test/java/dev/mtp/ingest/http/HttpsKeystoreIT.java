package dev.mtp.ingest.http;

import dev.mtp.testkit.TestCertificates;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API port serving HTTPS itself, from a PKCS12 key store made at test time. */
class HttpsKeystoreIT {

    @TempDir
    Path dir;

    @Test
    void the_port_serves_https_with_the_key_store_s_certificate_and_refuses_plain_http() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        HttpServlet hello = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write("secure=" + request.isSecure());
            }
        };
        try (IngestHttpServer server = new IngestHttpServer("127.0.0.1", 0, 8, Map.of("/hello", hello), List.of(),
                Optional.of(new HttpsKeystore(certs.serverKeystore(), certs.password())))) {
            server.start();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certs.caTruststore(), certs.password()))
                    .build();
            HttpResponse<String> answer = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).isEqualTo("secure=true");

            HttpClient untrusting = HttpClient.newBuilder()
                    .sslContext(trusting(certs.otherCaTruststore(), certs.password())).build();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString())).hasCauseInstanceOf(SSLHandshakeException.class);
            assertThat(plainHttpAnswer(server.port())).as("plain HTTP is not served").doesNotContain("secure=");
        }
    }

    /** Jetty either drops a plain HTTP request on a TLS port or answers it with an error status. */
    private static String plainHttpAnswer(int port) throws InterruptedException {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isGreaterThanOrEqualTo(400);
            return answer.body();
        } catch (IOException dropped) {
            return "";
        }
    }

    private static SSLContext trusting(Path truststore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
