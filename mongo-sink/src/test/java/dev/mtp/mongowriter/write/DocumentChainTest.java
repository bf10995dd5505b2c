package dev.mtp.mongowriter.write;

import com.mongodb.client.model.UpdateOneModel;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes of one document in one bulk expect the revision the write before leaves: pure, no server. */
class DocumentChainTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Incarnation INCARNATION = new Incarnation("AbCdEfGh");
    private final WriteContext ctx = new WriteContext(new UserMapCodec(32), Date.from(T0));

    @Test
    void aSessionsFoldAndSummaryExpectConsecutiveRevisionsAndOtherSessionsTheirOwn() {
        Known stored = Known.of(new Document("_id", "s-1").append("rev", 4L)
                .append("versions", new Document("sessions", 1L).append("sessionsIncarnation", "AbCdEfGh")
                        .append("interactions", 7L).append("interactionsIncarnation", "AbCdEfGh")));
        DocumentChain chain = new DocumentChain(id -> id.equals("s-1") ? stored : Known.nothing());

        PlannedWrite fold = single(chain.plan("s-1", k -> SessionDocumentFold.plan(ctx, "s-1",
                List.of(sessionEvent(2)), k)));
        PlannedWrite summary = single(chain.plan("s-1", k -> InteractionWrites.summary(ctx, "s-1",
                List.of(LaneEvent.interaction(interactionEvent("s-1", 8), true)), k)));
        PlannedWrite other = single(chain.plan("s-2", k -> InteractionWrites.summary(ctx, "s-2",
                List.of(LaneEvent.interaction(interactionEvent("s-2", 9), true)), k)));

        assertThat(expectedRev(fold)).isEqualTo(4L);
        assertThat(expectedRev(summary)).isEqualTo(5L);
        assertThat(expectedRev(other)).isEqualTo(0L);
        assertThat(stored.rev()).as("the belief it started from is left as it was").isEqualTo(4L);
    }

    @Test
    void aWriteWithNothingNewLeavesTheRevisionForTheNext() {
        Known stored = Known.of(new Document("_id", "s-1").append("rev", 4L)
                .append("versions", new Document("sessions", 3L).append("sessionsIncarnation", "AbCdEfGh")));
        DocumentChain chain = new DocumentChain(id -> stored);

        PlannedWrite.Resolution replayed = chain.plan("s-1", k -> SessionDocumentFold.plan(ctx, "s-1", List.of(sessionEvent(2)), k));
        PlannedWrite summary = single(chain.plan("s-1", k -> InteractionWrites.summary(ctx, "s-1",
                List.of(LaneEvent.interaction(interactionEvent("s-1", 1), true)), k)));

        assertThat(replayed.retry()).isEmpty();
        assertThat(replayed.skipped()).hasSize(1);
        assertThat(expectedRev(summary)).isEqualTo(4L);
    }

    private static PlannedWrite single(PlannedWrite.Resolution resolution) {
        assertThat(resolution.retry()).hasSize(1);
        return resolution.retry().get(0);
    }

    private static long expectedRev(PlannedWrite write) {
        Document filter = Document.parse(((UpdateOneModel<Document>) write.model()).getFilter().toBsonDocument().toJson());
        return ((Number) filter.get("rev")).longValue();
    }

    private static SourcedEvent sessionEvent(long offset) {
        return new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", null, T0.plusSeconds(offset), "test",
                new SessionUpdated(null, "idle", null, null)), TopicRole.SESSIONS, "t.sessions", 0, offset, INCARNATION);
    }

    private static SourcedEvent interactionEvent(String sessionId, long offset) {
        return new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), sessionId, "i-" + offset, "FULL_INTERACTION", T0.plusSeconds(offset),
                "test", new InteractionRecorded("user", "q", "a", Map.of(), Map.of(), 1L)), TopicRole.INTERACTIONS,
                "t.interactions", 0, offset, INCARNATION);
    }
}
