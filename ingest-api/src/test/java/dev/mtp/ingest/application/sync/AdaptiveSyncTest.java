package dev.mtp.ingest.application.sync;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveSyncTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicLong backlog = new AtomicLong();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private AdaptiveSync sync;

    @AfterEach
    void stop() {
        release.countDown();
        callers.shutdownNow();
        if (sync != null) {
            sync.close();
        }
    }

    @Test
    void underNormalLoadTheProjectionIsWrittenDirectlyAtTheAckedOffset() {
        AtomicLong written = new AtomicLong(-1);
        sync = sync(fastPath((event, offset) -> { written.set(offset); return CacheFastPath.Outcome.WRITTEN; }), 2, 2, 1_000, 100);

        SyncResult result = sync.afterAck(sessionCreated(), 0, 42);

        assertThat(result.method()).isEqualTo(SyncMethod.HYBRID_DIRECT);
        assertThat(written.get()).isEqualTo(42);
        assertThat(sync.stats()).containsEntry("hybridDirect", 1L);
    }

    @Test
    void aDirectWriteThatFindsANewerVersionStillCountsAsHybrid() {
        sync = sync(fastPath((event, offset) -> CacheFastPath.Outcome.ALREADY_NEWER), 2, 2, 1_000, 100);

        SyncResult result = sync.afterAck(sessionCreated(), 0, 7);

        assertThat(result.method()).isEqualTo(SyncMethod.HYBRID_DIRECT);
        assertThat(result.reason()).contains("already held version 7 or newer");
        assertThat(sync.stats()).containsEntry("hybridDirectAlreadyCurrent", 1L);
    }

    @Test
    void aSlowDirectWriteFallsBackToTheEventPathWithinTheTimeout() {
        sync = sync(fastPath((event, offset) -> { release.await(); return CacheFastPath.Outcome.WRITTEN; }), 2, 2, 100, 100);

        long started = System.nanoTime();
        SyncResult result = sync.afterAck(sessionCreated(), 0, 1);

        assertThat(result.method()).isEqualTo(SyncMethod.KAFKA_EVENT);
        assertThat(result.reason()).contains("longer than 100 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aSaturatedPoolSendsWritesByTheEventPathOnly() throws Exception {
        CountDownLatch busy = new CountDownLatch(2);
        sync = sync(fastPath((event, offset) -> { busy.countDown(); release.await(); return CacheFastPath.Outcome.WRITTEN; }), 1, 1, 5_000, 100);
        callers.submit(() -> sync.afterAck(sessionCreated(), 0, 1));       // takes the one thread
        busy.countDown();
        assertThat(waitUntil(() -> sync.load().activeThreads() == 1)).isTrue();
        callers.submit(() -> sync.afterAck(sessionCreated(), 0, 2));       // waits in the one queue slot
        assertThat(waitUntil(() -> sync.load().queued() == 1)).isTrue();

        SyncResult result = sync.afterAck(sessionCreated(), 0, 3);

        assertThat(result.method()).isEqualTo(SyncMethod.KAFKA_EVENT);
        assertThat(result.reason()).startsWith("high load: fast-path pool saturated");
        assertThat(sync.load().level()).isEqualTo("HIGH");
        assertThat(sync.stats()).containsEntry("eventOnlyHighLoad", 1L);
    }

    @Test
    void aPublishBacklogAboveItsBoundIsHighLoad() {
        sync = sync(fastPath((event, offset) -> CacheFastPath.Outcome.WRITTEN), 2, 2, 1_000, 10);
        backlog.set(11);

        SyncResult result = sync.afterAck(sessionCreated(), 0, 1);

        assertThat(result.method()).isEqualTo(SyncMethod.KAFKA_EVENT);
        assertThat(result.reason()).contains("publish backlog 11");
    }

    @Test
    void aFailingDirectWriteNeverFailsTheAcknowledgedWrite() {
        sync = sync(fastPath((event, offset) -> { throw new IllegalStateException("redis down"); }), 2, 2, 1_000, 100);

        SyncResult result = sync.afterAck(sessionCreated(), 0, 1);

        assertThat(result.method()).isEqualTo(SyncMethod.KAFKA_EVENT);
        assertThat(result.reason()).contains("direct write failed: IllegalStateException");
    }

    @Test
    void withoutAFastPathEveryWriteGoesByTheEventPath() {
        sync = AdaptiveSync.eventOnly(backlog::get);

        SyncResult result = sync.afterAck(sessionCreated(), 0, 1);

        assertThat(result).isEqualTo(new SyncResult(SyncMethod.KAFKA_EVENT, "cache fast path not configured"));
        assertThat(sync.stats()).containsEntry("fastPathAvailable", false).containsEntry("eventOnlyFastPathOff", 1L);
    }

    @Test
    void aValueOfAnotherIncarnationIsLeftToCacheWriterAndSaysSo() {
        sync = sync(fastPath((event, offset) -> CacheFastPath.Outcome.OTHER_INCARNATION), 2, 2, 1_000, 100);

        SyncResult result = sync.afterAck(sessionCreated(), 0, 7);

        assertThat(result.method()).isEqualTo(SyncMethod.KAFKA_EVENT);
        assertThat(result.reason()).contains("another incarnation of the topic");
    }

    @Test
    void eventsWithoutAProjectionSkipTheFastPath() {
        sync = sync(new CacheFastPath() {
            @Override public boolean handles(EventEnvelope event) { return false; }
            @Override public Outcome write(EventEnvelope event, int partition, long offset) {
                throw new AssertionError();
            }
        }, 2, 2, 1_000, 100);

        assertThat(sync.afterAck(sessionCreated(), 0, 1).reason()).startsWith("no cache projection for session.created");
    }

    interface Write {
        CacheFastPath.Outcome apply(EventEnvelope event, long offset) throws Exception;
    }

    private static CacheFastPath fastPath(Write write) {
        return new CacheFastPath() {
            @Override public boolean handles(EventEnvelope event) { return true; }
            @Override public Outcome write(EventEnvelope event, int partition, long offset) throws Exception {
                return write.apply(event, offset);
            }
        };
    }

    private AdaptiveSync sync(CacheFastPath fastPath, int threads, int queued, long timeoutMs, long maxBacklog) {
        return new AdaptiveSync(Optional.of(fastPath), threads, queued, Duration.ofMillis(timeoutMs), backlog::get, maxBacklog);
    }

    private static EventEnvelope sessionCreated() {
        return EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", "WITH_CONTEXT", Instant.EPOCH, "test",
                new SessionCreated("u-1", "active", Map.of(), Map.of()));
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
