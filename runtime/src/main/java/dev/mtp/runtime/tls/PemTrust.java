package dev.mtp.runtime.tls;

import dev.mtp.common.config.ConfigException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** An {@link SSLContext} that trusts exactly the CA certificates of one PEM file (a private CA). */
public final class PemTrust {

    private PemTrust() {}

    /**
     * @param key the setting that named the file, for the message of a file that cannot be used
     * @throws ConfigException when the file cannot be read or holds no certificate
     */
    public static SSLContext sslContext(String key, Path caFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(key, caFile));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, "cannot use '" + caFile + "' as a PEM file of CA certificates: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** An in-memory key store holding every certificate of the PEM file as a trusted entry. */
    static KeyStore trustStore(String key, Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigException(key, "'" + caFile + "' holds no PEM certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            return trusted;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, "cannot use '" + caFile + "' as a PEM file of CA certificates: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
