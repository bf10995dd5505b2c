package dev.mtp.chaos.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fold's reading of the README's contract, one rule at a time. */
class ContractFoldTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_800_000_000_000L;

    private final List<TopicRecord> records = new ArrayList<>();

    private void event(String topic, long offset, String type, String session, String entity, String strategy,
                       long at, String payload) throws Exception {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", type + "-" + offset);
        e.put("type", type);
        e.put("sessionId", session);
        e.put("entityId", entity);
        if (strategy != null) {
            e.put("cacheStrategy", strategy);
        }
        e.put("occurredAt", Instant.ofEpochMilli(at).toString());
        e.put("producer", "test");
        e.set("payload", JSON.readTree(payload));
        records.add(new TopicRecord(topic, 0, offset, e));
    }

    @Test
    void updatesMergeContextKeyByKeyAndKeepTheStrategyTheyDoNotName() throws Exception {
        event("sessions", 0, "session.created", "s", "s", "WITH_CONTEXT", T,
                "{\"userId\":\"u\",\"status\":\"active\",\"context\":{\"a\":1,\"b\":2}}");
        event("sessions", 1, "session.updated", "s", "s", null, T + 1, "{\"status\":\"idle\",\"context\":{\"a\":null,\"c\":3}}");
        event("sessions", 2, "session.closed", "s", "s", null, T + 2, "{\"reason\":\"done\"}");

        SessionExpect s = ContractFold.fold(records).sessions().get("s");

        assertThat(s.context.toString()).isEqualTo("{\"b\":2,\"c\":3}");
        assertThat(s.strategy).isEqualTo("WITH_CONTEXT");
        assertThat(s.status).isEqualTo("closed");
        assertThat(s.closedAt).isEqualTo(T + 2);
        assertThat(s.updatedAt).isEqualTo(T + 2);
        assertThat(s.createdAt).isEqualTo(T);
        assertThat(s.sessionsVersion).isEqualTo(2);
    }

    @Test
    void theGreaterOffsetWinsSoARepublishedOlderInteractionBecomesTheLastOne() throws Exception {
        event("sessions", 0, "session.created", "s", "s", "CRITICAL_ONLY", T, "{\"userId\":\"u\",\"status\":\"active\"}");
        event("interactions", 0, "interaction.recorded", "s", "i1", "RESPONSE_ONLY", T + 1, "{\"role\":\"user\",\"response\":\"one\"}");
        event("interactions", 1, "interaction.recorded", "s", "i2", "NONE", T + 2, "{\"role\":\"user\",\"response\":\"two\"}");
        event("interactions", 2, "interaction.recorded", "s", "i1", "RESPONSE_ONLY", T + 1, "{\"role\":\"user\",\"response\":\"one\"}");

        Expected expected = ContractFold.fold(records);
        SessionExpect s = expected.sessions().get("s");

        assertThat(s.interactionIds).containsExactly("i1", "i2");
        assertThat(s.lastInteractionId).isEqualTo("i1");
        assertThat(s.lastActivityAt).isEqualTo(T + 1);
        assertThat(s.maxEventAt).isEqualTo(T + 2);
        assertThat(expected.interactions().get("i1").offset).isEqualTo(2);
    }

    @Test
    void aDeletionErasesWhatWasRecordedBeforeItAndAnUpdateAfterItChangesNothing() throws Exception {
        event("sessions", 0, "session.created", "s", "s", "FULL_SESSION", T, "{\"userId\":\"u\",\"status\":\"active\"}");
        event("sessions", 1, "session.deleted", "s", "s", null, T + 10, "{}");
        event("sessions", 2, "session.updated", "s", "s", null, T + 11, "{\"status\":\"back\"}");
        event("interactions", 0, "interaction.recorded", "s", "i1", "RESPONSE_ONLY", T + 5, "{\"role\":\"user\",\"response\":\"r\"}");
        event("evaluations", 0, "evaluation.recorded", "s", "s", null, T + 6,
                "{\"entityType\":\"session\",\"evaluationData\":{\"score\":1}}");

        Expected expected = ContractFold.fold(records);
        SessionExpect s = expected.sessions().get("s");

        assertThat(s.deleted).isTrue();
        assertThat(s.live()).isFalse();
        assertThat(s.status).isEqualTo("active");
        assertThat(s.sessionsVersion).isEqualTo(2);
        assertThat(expected.interactions().get("i1").erased).isTrue();
        assertThat(expected.evaluations().get("evaluation.recorded-0").erased()).isTrue();
    }
}
