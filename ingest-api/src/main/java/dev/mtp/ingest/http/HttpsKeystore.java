package dev.mtp.ingest.http;

import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.ingest.IngestConfig;
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

    public HttpsKeystore {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
    }

    /** The key store of the config, if one is set; its password is required with it. */
    public static Optional<HttpsKeystore> from(Config config) {
        Optional<String> file = config.find(IngestConfig.HTTP_TLS_KEYSTORE_FILE);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(file.get());
        if (!Files.isReadable(path)) {
            throw new ConfigException(IngestConfig.HTTP_TLS_KEYSTORE_FILE.name(), "'" + path + "' is not a readable file");
        }
        String password = config.find(IngestConfig.HTTP_TLS_KEYSTORE_PASSWORD).orElseThrow(() -> new ConfigException(
                IngestConfig.HTTP_TLS_KEYSTORE_PASSWORD.name(), "is required with " + IngestConfig.HTTP_TLS_KEYSTORE_FILE.name()));
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
