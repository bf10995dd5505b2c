package dev.mtp.runtime.consume;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorClassifierTest {

    /** A store whose own transient failure is an IllegalStateException saying "busy". */
    private final ErrorClassifier store = cause -> cause instanceof IllegalStateException && "busy".equals(cause.getMessage());

    @Test
    void ioTimeoutsAndKafkasRetriableErrorsAreTransientForEveryStore() {
        ErrorClassifier nothingOfItsOwn = cause -> false;
        assertThat(nothingOfItsOwn.isTransient(new ConnectException("refused"))).isTrue();
        assertThat(nothingOfItsOwn.isTransient(new TimeoutException("slow"))).isTrue();
        assertThat(nothingOfItsOwn.isTransient(new NotLeaderOrFollowerException("election"))).isTrue();
        assertThat(nothingOfItsOwn.isTransient(new SerializationException("bad bytes"))).isFalse();
    }

    @Test
    void theStoreDecidesWhatElseIsTransientAnywhereInTheCauseChain() {
        assertThat(store.isTransient(new IllegalStateException("busy"))).isTrue();
        assertThat(store.isTransient(new ExecutionException(new RuntimeException(new IllegalStateException("busy")))))
                .isTrue();
        assertThat(store.isTransient(new ExecutionException(new UncheckedIOException(new ConnectException("down")))))
                .isTrue();
        assertThat(store.isTransient(new IllegalStateException("a bug"))).isFalse();
        assertThat(store.isTransient(new RuntimeException(new IllegalArgumentException("bad data")))).isFalse();
    }

    @Test
    void aCauseChainThatLoopsBackEndsTheWalk() {
        RuntimeException outer = new RuntimeException("outer");
        RuntimeException inner = new RuntimeException("inner", outer);
        outer.initCause(inner);
        assertThat(store.isTransient(outer)).isFalse();
    }
}
