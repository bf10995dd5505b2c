package dev.mtp.ingest.http;

import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigKey;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The key store of the API port when it serves HTTPS itself ({@code http.tls.keystore-file}), for deployments
 * without a TLS-terminating proxy in front of it.
 */
public record HttpsKeystore(Path file, String password) {

    public static final ConfigKey<String> FILE = ConfigKey.string("http.tls.keystore-file")
            .withDoc("Optional PKCS12 (or JKS) key store with the server's key and certificate chain: when set, "
                    + "http.port serves HTTPS only. Prefer a TLS-terminating proxy or ingress in front of the ingest "
                    + "(docs/security.md); this is for deployments without one.");

    public static final ConfigKey<String> PASSWORD = ConfigKey.string("http.tls.keystore-password")
            .secret()
            .withDoc("Password of http.tls.keystore-file and of the key in it; required with it.");

    public HttpsKeystore {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
    }

    /** The key store of the config, if one is set; its password is required with it. */
    public static Optional<HttpsKeystore> from(Config config) {
        Optional<String> file = config.find(FILE);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(file.get());
        if (!Files.isReadable(path)) {
            throw new ConfigException(FILE.name(), "'" + path + "' is not a readable file");
        }
        String password = config.find(PASSWORD).orElseThrow(
                () -> new ConfigException(PASSWORD.name(), "is required with " + FILE.name()));
        return Optional.of(new HttpsKeystore(path, password));
    }

    /** TLS, then HTTP/1.1 with the request marked secure. */
    ConnectionFactory[] connectionFactories(HttpConfiguration http) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(file.toString());
        ssl.setKeyStorePassword(password);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory httpFactory = new HttpConnectionFactory(https);
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, httpFactory.getProtocol()), httpFactory};
    }

    @Override
    public String toString() {
        return "HttpsKeystore[" + file + "]";
    }
}
