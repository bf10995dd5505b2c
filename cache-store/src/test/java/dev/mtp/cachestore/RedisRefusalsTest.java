package dev.mtp.cachestore;

import dev.mtp.runtime.startup.ServerRefusal;
import dev.mtp.testkit.TestCertificates;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis's refusals, as the runtime finds them on the class path and tells them at start-up. */
class RedisRefusalsTest {

    @Test
    void wrong_redis_credentials_and_untrusted_redis_certificate() {
        assertThat(ServerRefusal.describe(new RedisConnectionException("Unable to connect to localhost:6380",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair or user is disabled."))))
                .contains("redis refused the connection: authentication failed (WRONGPASS invalid "
                        + "username-password pair or user is disabled.)");
        assertThat(ServerRefusal.describe(new RedisConnectionException("Unable to connect to localhost:6380",
                TestCertificates.untrustedHandshake())))
                .contains("redis: TLS handshake failed: the server's certificate is not trusted (PKIX path "
                        + "building failed)");
    }

    @Test
    void a_redis_user_without_the_permission() {
        assertThat(ServerRefusal.describe(new RedisCommandExecutionException(
                "NOPERM this user has no permissions to run the 'evalsha' command")))
                .contains("redis refused the request: not authorized (NOPERM this user has no permissions to run the "
                        + "'evalsha' command)");
    }

    @Test
    void an_unreachable_redis_is_no_refusal_waiting_may_help() {
        assertThat(ServerRefusal.describe(new RedisConnectionException("Unable to connect to localhost:6380",
                new java.net.ConnectException("Connection refused")))).isEmpty();
    }
}
