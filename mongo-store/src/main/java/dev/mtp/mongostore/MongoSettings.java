package dev.mtp.mongostore;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.runtime.tls.PemTrust;

import java.nio.file.Path;

/**
 * The MongoDB client settings every app and ops-cli starts from: {@code mongodb.uri} (credentials, {@code tls=true}
 * and any driver option), and {@code mongodb.tls.ca-file} as the trusted CAs, since the Java driver does not read
 * {@code tlsCAFile} from the URI.
 */
public final class MongoSettings {

    private MongoSettings() {}

    public static MongoClientSettings.Builder builder(Config config, ConnectionString uri) {
        MongoClientSettings.Builder builder = MongoClientSettings.builder().applyConnectionString(uri);
        config.find(CommonConfigKeys.MONGODB_TLS_CA_FILE).ifPresent(caFile -> builder.applyToSslSettings(ssl -> ssl
                .context(PemTrust.sslContext(CommonConfigKeys.MONGODB_TLS_CA_FILE.name(), Path.of(caFile)))));
        return builder;
    }
}
