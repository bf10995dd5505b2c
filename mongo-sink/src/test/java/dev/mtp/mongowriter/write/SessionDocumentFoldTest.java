package dev.mtp.mongowriter.write;

import com.mongodb.client.model.UpdateOneModel;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fold of one session's events into one update: pure, no server. */
class SessionDocumentFoldTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Incarnation INCARNATION = new Incarnation("AbCdEfGh");
    private final WriteContext ctx = new WriteContext(new UserMapCodec(32), Date.from(T0));

    @Test
    void createdThenUpdatesMergeIntoTheWholeMapsInOneSet() {
        Map<String, Object> removal = new HashMap<>();
        removal.put("topic", null);
        Document update = update(fold(
                new SessionCreated("u-1", "active", Map.of("topic", "a", "step", 1), Map.of("src", "web")),
                new SessionUpdated(null, "idle", Map.of("step", 2, "x.y", 3), null),
                new SessionUpdated(null, null, removal, Map.of("tier", "gold"))));

        Document set = update.get("$set", Document.class);
        assertThat(set.get("context", Document.class)).isEqualTo(new Document("step", 2).append("x%2Ey", 3));
        assertThat(set.get("metadata", Document.class)).isEqualTo(new Document("src", "web").append("tier", "gold"));
        assertThat(set.getString("status")).isEqualTo("idle");
        assertThat(((Number) set.get("versions.sessions")).longValue()).isEqualTo(3L);
        assertThat(set.keySet()).noneMatch(k -> k.startsWith("context."));
    }

    @Test
    void updatesAloneBecomeTopLevelPathsAndNullsBecomeUnsets() {
        Map<String, Object> change = new HashMap<>();
        change.put("gone", null);
        change.put("$kept", Map.of("a", 1));
        Document update = update(fold(new SessionUpdated(null, null, change, null)));

        assertThat(update.get("$set", Document.class)).containsEntry("context.%24kept", new Document("a", 1));
        assertThat(update.get("$unset", Document.class)).containsOnlyKeys("context.gone");
    }

    @Test
    void aDeletionErasesEveryOwnersFieldsAndLeavesATombstoneThatACreateRevives() {
        Document deleted = update(fold(new SessionCreated("u-1", "active", Map.of(), Map.of()), new SessionDeleted("gdpr")));
        assertThat(deleted.get("$unset", Document.class)).containsKeys("userId", "status", "context",
                "interactionCount", "evaluationData");
        assertThat(deleted.get("$set", Document.class)).containsEntry("deleted", true).containsKey("deletedAt")
                .doesNotContainKeys("userId", "context");
        assertThat(deleted.get("$setOnInsert", Document.class)).doesNotContainKey("interactionCount");

        Document revived = update(fold(new SessionDeleted("gdpr"), new SessionCreated("u-2", "active", Map.of(), Map.of())));
        assertThat(revived.get("$set", Document.class)).containsEntry("userId", "u-2").containsKey("deletedAt");
        assertThat(revived.get("$unset", Document.class)).containsKey("deleted");
    }

    @Test
    void closedSetsStatusAndCloseTime() {
        Document update = update(fold(new SessionClosed(null)));
        assertThat(update.get("$set", Document.class)).containsEntry("status", "closed").containsKey("closedAt");
        assertThat(update.get("$unset", Document.class)).containsKey("closeReason");
    }

    @Test
    void theGuardIsACompareAndSetOnTheKnownRevisionAndAWriteLosingItRetriesOnlyTheNewerEvents() {
        PlannedWrite write = fold(new SessionCreated("u-1", "active", Map.of(), Map.of()),
                new SessionUpdated(null, "idle", null, null), new SessionUpdated(null, "busy", null, null));
        Bson filter = ((UpdateOneModel<Document>) write.model()).getFilter();
        assertThat(filter.toBsonDocument().toJson()).isEqualTo("{\"_id\": \"s-1\", \"rev\": 0}");
        assertThat(((Number) update(write).get("$set", Document.class).get("rev")).longValue()).isEqualTo(1L);

        PlannedWrite.Resolution resolution = write.resolver().resolve(Known.of(new Document("_id", "s-1")
                .append("rev", 4L).append("versions", new Document("sessions", 2L).append("sessionsIncarnation", "AbCdEfGh"))));
        assertThat(resolution.skipped()).hasSize(2);
        assertThat(resolution.retry()).singleElement().satisfies(retry -> {
            assertThat(retry.events()).extracting(SourcedEvent::offset).containsExactly(3L);
            assertThat(update(retry).get("$set", Document.class)).containsEntry("status", "busy");
            assertThat(((Number) update(retry).get("$set", Document.class).get("rev")).longValue()).isEqualTo(5L);
            assertThat(((UpdateOneModel<Document>) retry.model()).getFilter().toBsonDocument().toJson())
                    .isEqualTo("{\"_id\": \"s-1\", \"rev\": 4}");
        });
        assertThat(write.resolver().resolve(Known.of(new Document("rev", 7L)
                .append("versions", new Document("sessions", 3L).append("sessionsIncarnation", "AbCdEfGh")))).retry())
                .isEmpty();
    }

    @Test
    void aStoredDocumentWithoutARevisionStopsTheWriterNamingTheCause() {
        assertThatThrownBy(() -> Known.of(new Document("_id", "s-1").append("versions", new Document("sessions", 2L))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("s-1 has no rev").hasMessageContaining("schema 1");
    }

    private PlannedWrite fold(EventPayload... payloads) {
        List<SourcedEvent> events = new ArrayList<>();
        long offset = 1;
        for (EventPayload payload : payloads) {
            String strategy = payload instanceof SessionCreated ? "WITH_CONTEXT" : null;
            events.add(new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", strategy,
                    T0.plusSeconds(offset), "test", payload), TopicRole.SESSIONS, "t.sessions", 0, offset++, INCARNATION));
        }
        return SessionDocumentFold.plan(ctx, "s-1", events, Known.nothing()).retry().get(0);
    }

    private static Document update(PlannedWrite write) {
        Bson update = ((UpdateOneModel<Document>) write.model()).getUpdate();
        BsonDocument bson = update.toBsonDocument(Document.class, com.mongodb.MongoClientSettings.getDefaultCodecRegistry());
        return Document.parse(bson.toJson());
    }
}
