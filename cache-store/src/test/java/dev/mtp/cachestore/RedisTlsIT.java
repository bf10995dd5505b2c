package dev.mtp.cachestore;

import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.testkit.SecuredServers;
import dev.mtp.testkit.TestCertificates;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static dev.mtp.common.version.VersionRule.OtherIncarnations.SUPERSEDE;
import static dev.mtp.testkit.SecuredServers.REDIS_PASSWORD;
import static dev.mtp.testkit.SecuredServers.REDIS_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cache and the incarnation registry over TLS, as an ACL user, against a redis-server whose certificate a private
 * CA signed ({@code redis.tls.ca-file}).
 */
class RedisTlsIT {

    static TestCertificates certs;
    static RedisServerProcess redis;
    static int tlsPort;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        certs = TestCertificates.generate(Files.createTempDirectory("mtp-redis-tls-"));
        tlsPort = FreePorts.pick();
        redis = SecuredServers.startTlsRedis(certs, tlsPort, "mtp-tls:*");
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    static CacheStoreSettings settings(String password, Path ca) {
        return CacheStoreSettings.defaults(URI.create("rediss://" + REDIS_USER + ":" + password + "@localhost:"
                + tlsPort), "mtp-tls:").withTlsCaFile(ca);
    }

    @Test
    void writesAndReadsGoOverTlsAsTheAclUser() throws Exception {
        CacheStoreSettings settings = settings(REDIS_PASSWORD, certs.caPem());
        try (RedisCacheStore store = RedisCacheStore.open(settings, Clock.systemUTC());
             RedisIncarnationRegistry registry = RedisIncarnationRegistry.open(settings)) {
            assertThat(store.ping().get(10, TimeUnit.SECONDS)).isEqualTo("PONG");
            var session = Samples.session("s-tls", "CRITICAL_ONLY", Instant.now(), 1, 0);
            WriteResult written = store.write(CacheWrite.session(session, false, SUPERSEDE,
                    Samples.INTERACTIONS)).get(10, TimeUnit.SECONDS);
            assertThat(written.error()).isNull();
            assertThat(store.session("s-tls").get()).isPresent();
            assertThat(registry.read("mtp.sessions.v1")).isEmpty();
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> RedisCacheStore.open(settings(REDIS_PASSWORD, certs.otherCaPem()),
                Clock.systemUTC()))
                .isInstanceOf(RedisConnectionException.class)
                .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> RedisCacheStore.open(settings("not-the-" + REDIS_PASSWORD, certs.caPem()),
                Clock.systemUTC()))
                .isInstanceOf(RedisConnectionException.class)
                .hasStackTraceContaining("WRONGPASS");
    }
}
