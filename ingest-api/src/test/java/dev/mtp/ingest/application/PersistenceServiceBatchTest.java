package dev.mtp.ingest.application;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.version.Incarnation;
import dev.mtp.ingest.application.sync.AdaptiveSync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch keeps each session's writes in order: after one fails, the session's later writes are not published. */
class PersistenceServiceBatchTest {
    private final FailingPublisher publisher = new FailingPublisher("s-1");
    private final AdaptiveSync sync = new AdaptiveSync(Optional.empty(), 1, 1, Duration.ofSeconds(1), publisher::backlog, 10);
    private final PersistenceService service = new PersistenceService(publisher, sync, Optional.empty(), Clock.systemUTC(),
            UUID::randomUUID, "test");

    @AfterEach
    void close() {
        sync.close();
    }

    @Test
    void afterASessionsWriteFailsItsLaterWritesAreNotPublishedAndSayWhy() {
        List<PersistenceService.BatchOutcome> outcomes = service.writeBatch(List.of(
                session("s-1"), session("s-2"), interaction("s-1", "i-1"), interaction("s-2", "i-2"),
                new Commands.PersistEvaluation("s-1", EntityType.SESSION, "s-1", Map.of("score", 1))));

        assertThat(outcomes.get(0)).isInstanceOf(PersistenceService.BatchOutcome.Failed.class);
        assertThat(outcomes.get(1)).isInstanceOf(PersistenceService.BatchOutcome.Acknowledged.class);
        assertThat(outcomes.get(2)).isEqualTo(new PersistenceService.BatchOutcome.NotSent(0));
        assertThat(outcomes.get(3)).isInstanceOf(PersistenceService.BatchOutcome.Acknowledged.class);
        assertThat(outcomes.get(4)).isEqualTo(new PersistenceService.BatchOutcome.NotSent(0));
        assertThat(publisher.sent).extracting(EventEnvelope::entityId).containsExactly("s-1", "s-2", "i-2");
    }

    @Test
    void aSessionsWriteIsSentOnlyAfterItsWriteBeforeWasAcknowledged() {
        FailingPublisher publisher = new FailingPublisher("none");
        PersistenceService ordered = new PersistenceService(publisher, sync, Optional.empty(), Clock.systemUTC(),
                UUID::randomUUID, "test");

        List<PersistenceService.BatchOutcome> outcomes = ordered.writeBatch(List.of(session("a"), interaction("a", "a-1"),
                session("b"), interaction("a", "a-2")));

        assertThat(outcomes).allMatch(o -> o instanceof PersistenceService.BatchOutcome.Acknowledged);
        assertThat(publisher.sentBeforeTheSessionsEarlierWriteWasAcknowledged).isEmpty();
    }

    private static Commands.PersistSession session(String id) {
        return new Commands.PersistSession(id, "u-1", "active", Map.of(), Map.of(), SessionCacheStrategy.CRITICAL_ONLY);
    }

    private static Commands.PersistInteraction interaction(String sessionId, String id) {
        return new Commands.PersistInteraction(id, sessionId, "user", "hi", null, Map.of(), Map.of(), null,
                InteractionCacheStrategy.RESPONSE_ONLY);
    }

    /** Acknowledges or fails each event a little later, as Kafka does; fails the create of one session. */
    private static final class FailingPublisher implements EventPublisher {
        final List<EventEnvelope> sent = new ArrayList<>();
        final List<String> sentBeforeTheSessionsEarlierWriteWasAcknowledged = new ArrayList<>();
        private final List<CompletableFuture<Published>> acks = new ArrayList<>();
        private final String failingSession;

        FailingPublisher(String failingSession) {
            this.failingSession = failingSession;
        }

        @Override
        public Published publish(EventEnvelope event) {
            return publishAsync(event).join();
        }

        @Override
        public synchronized CompletableFuture<Published> publishAsync(EventEnvelope event) {
            for (int i = 0; i < sent.size(); i++) {
                if (sent.get(i).sessionId().equals(event.sessionId()) && !acks.get(i).isDone()) {
                    sentBeforeTheSessionsEarlierWriteWasAcknowledged.add(event.entityId());
                }
            }
            sent.add(event);
            boolean fails = event.entityId().equals(failingSession);
            Published published = new Published(event, "topic", 0, sent.size(), 0, Incarnation.UNKNOWN);
            CompletableFuture<Published> ack = CompletableFuture.supplyAsync(() -> {
                if (fails) {
                    throw new PublishFailedException("Kafka did not acknowledge the event within 1500 ms", null);
                }
                return published;
            }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
            acks.add(ack);
            return ack;
        }

        @Override
        public long backlog() {
            return 0;
        }
    }
}
