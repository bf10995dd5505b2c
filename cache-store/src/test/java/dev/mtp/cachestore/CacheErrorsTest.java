package dev.mtp.cachestore;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static dev.mtp.cachestore.CacheErrors.CLASSIFIER;
import static org.assertj.core.api.Assertions.assertThat;

class CacheErrorsTest {

    @Test
    void aConnectionThatIsDownClosedOrSlowIsTransient() {
        assertThat(CLASSIFIER.isTransient(new RedisConnectionException("refused"))).isTrue();
        assertThat(CLASSIFIER.isTransient(new RedisCommandTimeoutException("no reply"))).isTrue();
        assertThat(CLASSIFIER.isTransient(new RedisException("Connection closed"))).isTrue();
        assertThat(CLASSIFIER.isTransient(new IOException("Connection reset by peer"))).isTrue();
    }

    @Test
    void redisSayingNotNowIsTransient() {
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory",
                "BUSY Redis is busy running a script", "TRYAGAIN Multiple keys request during rehashing of slot",
                "CLUSTERDOWN The cluster is down", "MASTERDOWN Link with MASTER is down",
                "READONLY You can't write against a read only replica.", "OOM command not allowed",
                "MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381", "NOREPLICAS Not enough good replicas",
                "UNBLOCKED the client was unblocked"}) {
            assertThat(CLASSIFIER.isTransient(new RedisCommandExecutionException(reply))).as(reply).isTrue();
        }
    }

    @Test
    void aRefusalOfTheDataIsNotTransient() {
        assertThat(CLASSIFIER.isTransient(new RedisCommandExecutionException(
                "WRONGTYPE Operation against a key holding the wrong kind of value"))).isFalse();
        assertThat(CLASSIFIER.isTransient(new RedisCommandExecutionException(
                "ERR user_script:12: bad value layout"))).isFalse();
        assertThat(CLASSIFIER.isTransient(new RedisCommandExecutionException((String) null))).isFalse();
        assertThat(CLASSIFIER.isTransient(new IllegalArgumentException("cannot decode the value"))).isFalse();
    }

    @Test
    void theAnswerIsTheSameWrappedInTheFuturesThatCarryIt() {
        assertThat(CLASSIFIER.isTransient(new ExecutionException(new CompletionException(
                new RedisCommandExecutionException("LOADING Redis is loading"))))).isTrue();
        assertThat(CLASSIFIER.isTransient(new ExecutionException(new CompletionException(
                new RedisCommandExecutionException("WRONGTYPE Operation against a key"))))).isFalse();
    }
}
