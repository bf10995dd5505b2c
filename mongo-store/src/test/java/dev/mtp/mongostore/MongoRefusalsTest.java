package dev.mtp.mongostore;

import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import dev.mtp.runtime.startup.ServerRefusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** MongoDB's refusals, as the runtime finds them on the class path and tells them at start-up. */
class MongoRefusalsTest {

    @Test
    void wrong_mongodb_credentials() {
        assertThat(ServerRefusal.describe(new MongoSecurityException(
                MongoCredential.createScramSha256Credential("u", "admin", "pw".toCharArray()),
                "Exception authenticating MongoCredential{mechanism=SCRAM-SHA-256, userName='u'}")))
                .hasValueSatisfying(line -> assertThat(line)
                        .startsWith("mongodb refused the connection: authentication failed").doesNotContain("pw"));
    }
}
