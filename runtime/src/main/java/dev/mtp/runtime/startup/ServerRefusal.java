package dev.mtp.runtime.startup;

import dev.mtp.common.config.Masking;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import javax.net.ssl.SSLException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A server that answered but refused this app: wrong credentials, missing permissions, or a certificate the app does
 * not trust. Unlike an unreachable server, waiting does not help, so start-up stops at once with one line naming the
 * server and the reason. Decided here, in one place, from the exception chain: Kafka's exceptions and TLS failures
 * here, the store clients' through their {@link ClientRefusals}, found on the class path.
 */
public final class ServerRefusal {

    private static final List<ClientRefusals> STORES =
            ServiceLoader.load(ClientRefusals.class, ServerRefusal.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get).toList();

    private ServerRefusal() {}

    /** "kafka refused the connection: ..." when {@code failure} is a refusal, else empty. The text is masked. */
    public static Optional<String> describe(Throwable failure) {
        String server = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            server = server != null ? server : server(t);
            Optional<String> reason = reason(t, server);
            if (reason.isPresent()) {
                return Optional.of(Masking.maskUris(reason.get()).replace('\n', ' ').replace('\r', ' '));
            }
        }
        return Optional.empty();
    }

    /** Which server a client exception is about, by the client library that raised it. */
    private static String server(Throwable t) {
        if (t instanceof KafkaException) {
            return "kafka";
        }
        for (ClientRefusals store : STORES) {
            Optional<String> server = store.server(t);
            if (server.isPresent()) {
                return server.get();
            }
        }
        return null;
    }

    private static Optional<String> reason(Throwable t, String server) {
        if (t instanceof SaslAuthenticationException) {
            return Optional.of("kafka refused the connection: authentication failed (" + t.getMessage() + ")");
        }
        if (t instanceof AuthorizationException) {
            return Optional.of("kafka refused the request: not authorized (" + t.getMessage() + ")");
        }
        for (ClientRefusals store : STORES) {
            Optional<String> reason = store.reason(t);
            if (reason.isPresent()) {
                return reason;
            }
        }
        if ((t instanceof SslAuthenticationException || t instanceof SSLException) && server != null) {
            return Optional.of(server + ": TLS handshake failed: " + tlsReason(t));
        }
        return Optional.empty();
    }

    /** An untrusted certificate is the usual TLS failure; say so plainly, with the JDK's words after it. */
    private static String tlsReason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CertPathValidatorException || c instanceof CertificateException
                    || String.valueOf(c.getMessage()).contains("PKIX path")) {
                return "the server's certificate is not trusted (" + c.getMessage() + ")";
            }
        }
        return String.valueOf(t.getMessage());
    }
}
