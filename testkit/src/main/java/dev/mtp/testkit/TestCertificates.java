package dev.mtp.testkit;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority and a server certificate for 127.0.0.1 and localhost, made at test time with the
 * JDK's keytool, in the forms the servers and clients read: PKCS12 key store (Kafka broker), PEM certificate and key
 * (redis-server), PEM CA (Redis and MongoDB clients), PKCS12 trust store (Kafka clients). {@link #generate} also
 * makes a second, unrelated CA, to test that a server signed by another CA is refused.
 */
public record TestCertificates(Path dir, String password, Path serverKeystore, Path serverCertPem, Path serverKeyPem,
                               Path caPem, Path caTruststore, Path otherCaPem, Path otherCaTruststore) {

    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

    /** What a TLS client throws when the server's certificate is from a CA it does not trust. */
    public static SSLHandshakeException untrustedHandshake() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed");
        e.initCause(new CertPathValidatorException("unable to find valid certification path to requested target"));
        return e;
    }

    public static TestCertificates generate(Path dir) {
        String pw = "test-store-pw";
        Path ca = dir.resolve("ca.p12");
        Path other = dir.resolve("other-ca.p12");
        Path server = dir.resolve("server.p12");
        keytool(dir, "-genkeypair", "-alias", "ca", "-dname", "CN=mtp test CA", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-ext", "bc:c", "-keystore", ca.toString(), "-storepass", pw);
        keytool(dir, "-genkeypair", "-alias", "ca", "-dname", "CN=another CA", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-ext", "bc:c", "-keystore", other.toString(), "-storepass", pw);
        keytool(dir, "-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-keystore", server.toString(), "-storepass", pw);
        Path caPem = dir.resolve("ca.pem");
        Path otherPem = dir.resolve("other-ca.pem");
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw,
                "-file", caPem.toString());
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", other.toString(), "-storepass", pw,
                "-file", otherPem.toString());
        Path csr = dir.resolve("server.csr");
        Path serverPem = dir.resolve("server.pem");
        keytool(dir, "-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", pw,
                "-file", csr.toString());
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw,
                "-infile", csr.toString(), "-outfile", serverPem.toString(), "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "ku:c=digitalSignature,keyEncipherment",
                "-ext", "eku=serverAuth,clientAuth");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(),
                "-keystore", server.toString(), "-storepass", pw);
        keytool(dir, "-importcert", "-noprompt", "-alias", "server", "-file", serverPem.toString(),
                "-keystore", server.toString(), "-storepass", pw);
        Path truststore = dir.resolve("truststore.p12");
        Path otherTruststore = dir.resolve("other-truststore.p12");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", pw);
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", otherPem.toString(), "-storetype", "PKCS12",
                "-keystore", otherTruststore.toString(), "-storepass", pw);
        Path keyPem = dir.resolve("server-key.pem");
        writePrivateKeyPem(server, pw, keyPem);
        return new TestCertificates(dir, pw, server, serverPem, keyPem, caPem, truststore, otherPem, otherTruststore);
    }

    /** redis-server reads its key as PEM, which keytool cannot write: PKCS#8 from the key store. */
    private static void writePrivateKeyPem(Path keystore, String password, Path target) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            Key key = store.getKey("server", password.toCharArray());
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded());
            Files.writeString(target, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the server key from " + keystore, e);
        }
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(KEYTOOL.toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("keytool.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: "
                        + Files.readString(dir.resolve("keytool.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
