package dev.mtp.chaos.check;

import dev.mtp.chaos.model.ContractFold;
import dev.mtp.chaos.model.Expected;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker against stores written by hand the way the README and docs/decisions/0002 and 0006 describe them: a
 * correct store passes, and each kind of damage is reported.
 */
class CheckerTest {

    private static final String PREFIX = "mtp:";
    private static final long T = 1_800_000_000_000L;
    private static final long NOW = T + 60_000;
    private static final long MIN30 = Duration.ofMinutes(30).toMillis();

    private final Events events = new Events();

    private Expected threeEvents() {
        events.add("session.created", "e-s1", "s1", "s1", "WITH_CONTEXT", T,
                "{\"userId\":\"u1\",\"status\":\"active\",\"context\":{\"topic\":\"pricing\"},\"metadata\":{\"src\":\"web\"}}");
        events.add("interaction.recorded", "e-i1", "s1", "i1", "RESPONSE_ONLY", T + 1_000,
                "{\"role\":\"assistant\",\"request\":\"q?\",\"response\":\"a.\",\"processingTimeMs\":12}");
        events.add("evaluation.recorded", "e-v1", "s1", "s1", null, T + 2_000,
                "{\"entityType\":\"session\",\"evaluationData\":{\"score\":4.5}}");
        return ContractFold.fold(events.records());
    }

    /** The store as the writers leave it after the three events above. */
    private static Store correctStore() {
        Store store = new Store();
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("_id", "s1");
        session.put("userId", "u1");
        session.put("status", "active");
        session.put("cacheStrategy", "WITH_CONTEXT");
        session.put("context", Map.of("topic", "pricing"));
        session.put("metadata", Map.of("src", "web"));
        session.put("createdAt", new Date(T));
        session.put("updatedAt", new Date(T));
        session.put("closedAt", null);
        session.put("deletedAt", null);
        session.put("interactionCount", 1);
        session.put("lastInteractionId", "i1");
        session.put("lastActivityAt", new Date(T + 1_000));
        session.put("evaluationData", Map.of("score", 4.5));
        session.put("evaluatedAt", new Date(T + 2_000));
        session.put("lastEvaluationId", "e-v1");
        session.put("evaluationCount", 1);
        session.put("versions", Map.of("sessions", 0L, "interactions", 0L, "evaluations", 0L));
        store.sessions.put("s1", session);
        Map<String, Object> interaction = new LinkedHashMap<>();
        interaction.put("_id", "i1");
        interaction.put("sessionId", "s1");
        interaction.put("role", "assistant");
        interaction.put("request", "q?");
        interaction.put("response", "a.");
        interaction.put("processingTimeMs", 12);
        interaction.put("cacheStrategy", "RESPONSE_ONLY");
        interaction.put("recordedAt", new Date(T + 1_000));
        interaction.put("eventId", "e-i1");
        interaction.put("versions", Map.of("interactions", 0L, "interactionsFirst", 0L, "evaluations", -1L));
        store.interactions.put("i1", interaction);
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("_id", "e-v1");
        evaluation.put("sessionId", "s1");
        evaluation.put("entityId", "s1");
        evaluation.put("entityType", "session");
        evaluation.put("evaluationData", Map.of("score", 4.5));
        evaluation.put("evaluatedAt", new Date(T + 2_000));
        evaluation.put("producer", "test");
        store.evaluations.put("e-v1", evaluation);
        store.key("mtp:{s1}:s", "j2:0.AbCdEfGh,0.IjKlMnOp|{\"u\":\"u1\",\"st\":\"active\",\"ca\":" + T + ",\"ua\":" + T
                + ",\"la\":" + (T + 1_000) + ",\"cx\":{\"topic\":\"pricing\"},\"n\":1}", T + 1_000 + MIN30);
        store.key("mtp:{s1}:i:i1", "j1:0.IjKlMnOp|{\"r\":\"a.\",\"t\":" + (T + 1_000) + "}", T + 1_000 + MIN30);
        store.key("mtp:{s1}:latest", "j1:0.IjKlMnOp|{\"id\":\"i1\",\"r\":\"a.\",\"t\":" + (T + 1_000) + "}",
                T + 1_000 + MIN30);
        store.key("mtp:{s1}:ix", "i1\n", T + 1_000 + MIN30);
        store.key("mtp:incarnations", "not a cache value", -1);
        return store;
    }

    @Test
    void aStoreAsTheContractDescribesItPasses() {
        assertThat(Checker.check(threeEvents(), correctStore().snapshot(), PREFIX, 5_000)).isEmpty();
    }

    @Test
    void oneChangedDocumentOneMissingKeyAndOneTooLongTtlAreAllReported() {
        Expected expected = threeEvents();
        Store store = correctStore();
        store.sessions.get("s1").put("status", "idle");
        store.cache.remove("mtp:{s1}:i:i1");
        CacheEntry session = store.cache.get("mtp:{s1}:s");
        store.cache.put(session.key(), new CacheEntry(session.key(), session.value(),
                session.expireAtMillis() + Duration.ofMinutes(10).toMillis()));

        List<Finding> findings = Checker.check(expected, store.snapshot(), PREFIX, 5_000);

        assertThat(findings).extracting(Finding::toString).containsExactlyInAnyOrder(
                "WRONG sessions/s1: status: expected active, found idle",
                "LOST mtp:{s1}:i:i1: missing (RESPONSE_ONLY, expires at " + (T + 1_000 + MIN30) + ")",
                "WRONG mtp:{s1}:s: TTL too long: expires at " + (T + 1_000 + MIN30 + 600_000)
                        + ", 600000 ms after WITH_CONTEXT's TTL from the last event");
    }

    @Test
    void findingsAreCountedByTheStoreTheyWereFoundIn() {
        Store store = correctStore();
        store.sessions.get("s1").put("status", "idle");
        store.cache.remove("mtp:{s1}:i:i1");
        store.cache.remove("mtp:{s1}:s");

        List<Finding> findings = Checker.check(threeEvents(), store.snapshot(), PREFIX, 5_000);

        assertThat(findings).extracting(Finding::store)
                .containsExactly(Finding.Store.MONGODB, Finding.Store.REDIS, Finding.Store.REDIS);
        assertThat(Finding.tally(findings)).isEqualTo(Map.of(
                Finding.Store.MONGODB, Map.of(Finding.Kind.WRONG, 1L),
                Finding.Store.REDIS, Map.of(Finding.Kind.LOST, 2L)));
    }

    @Test
    void aKeyCachingAFieldItsStrategyDoesNotIsWrong() {
        Store store = correctStore();
        store.key("mtp:{s1}:i:i1", "j1:0.IjKlMnOp|{\"r\":\"a.\",\"t\":" + (T + 1_000) + ",\"q\":\"q?\"}",
                T + 1_000 + MIN30);
        assertThat(Checker.check(threeEvents(), store.snapshot(), PREFIX, 5_000)).extracting(Finding::toString)
                .containsExactly("WRONG mtp:{s1}:i:i1: caches 'q', which RESPONSE_ONLY does not");
    }

    @Test
    void aValueOfAnOlderEventIsWrong() {
        Store store = correctStore();
        store.key("mtp:{s1}:s", "j2:0.AbCdEfGh,-1.IjKlMnOp|{\"u\":\"u1\",\"st\":\"active\",\"ca\":" + T + ",\"ua\":"
                + T + ",\"cx\":{\"topic\":\"pricing\"}}", T + 1_000 + MIN30);
        assertThat(Checker.check(threeEvents(), store.snapshot(), PREFIX, 5_000)).extracting(Finding::toString)
                .containsExactlyInAnyOrder(
                        "WRONG mtp:{s1}:s: versions: expected offsets [0, 0], found [0, -1]",
                        "WRONG mtp:{s1}:s: la: expected " + (T + 1_000) + ", found null",
                        "WRONG mtp:{s1}:s: n: expected 1, found null");
    }

    @Test
    void keysOfNoneDeletedAndExpiredEntitiesMustBeGone() {
        events.add("session.created", "e-s2", "s2", "s2", "NONE", T, "{\"userId\":\"u2\",\"status\":\"active\"}");
        events.add("session.created", "e-s3", "s3", "s3", "CRITICAL_ONLY", T, "{\"userId\":\"u3\",\"status\":\"active\"}");
        events.add("session.deleted", "e-s3d", "s3", "s3", null, T + 500, "{\"reason\":\"erasure\"}");
        events.add("session.created", "e-s4", "s4", "s4", "FULL_SESSION", T - MIN30, "{\"userId\":\"u4\",\"status\":\"active\"}");
        Expected expected = ContractFold.fold(events.records());
        Store store = new Store();
        store.sessions.put("s2", Map.of("_id", "s2", "userId", "u2", "status", "active", "cacheStrategy", "NONE",
                "createdAt", new Date(T), "updatedAt", new Date(T), "versions", Map.of("sessions", 0L)));
        store.sessions.put("s3", Map.of("_id", "s3", "deleted", true, "deletedAt", new Date(T + 500),
                "versions", Map.of("sessions", 2L)));
        store.sessions.put("s4", Map.of("_id", "s4", "userId", "u4", "status", "active", "cacheStrategy",
                "FULL_SESSION", "createdAt", new Date(T - MIN30), "updatedAt", new Date(T - MIN30),
                "versions", Map.of("sessions", 3L)));
        store.key("mtp:{s2}:s", "j0:0|{\"u\":\"u2\"}", T + MIN30);
        store.key("mtp:{s3}:s", "t0:2|", T + 300_000);
        store.key("mtp:{s4}:s", "j3:3|{\"u\":\"u4\"}", T + MIN30);

        assertThat(Checker.check(expected, store.snapshot(), PREFIX, 5_000)).extracting(Finding::toString)
                .containsExactlyInAnyOrder(
                        "WRONG mtp:{s2}:s: present when it should not be (strategy NONE)",
                        "WRONG mtp:{s4}:s: present when it should not be (expired at " + (T - MIN30 + MIN30 / 2) + ")");
    }

    @Test
    void anInteractionOnlyEvaluatedHasADocumentOfTheEvaluationAndNoKey() {
        threeEvents();
        events.add("evaluation.recorded", "e-v2", "s1", "i9", null, T + 3_000,
                "{\"entityType\":\"interaction\",\"evaluationData\":{\"score\":2}}");
        Expected expected = ContractFold.fold(events.records());
        Store store = correctStore();
        Map<String, Object> session = store.sessions.get("s1");
        session.put("lastEvaluationId", "e-v2");
        session.put("evaluationCount", 2);
        session.put("versions", Map.of("sessions", 0L, "interactions", 0L, "evaluations", 1L));
        store.interactions.put("i9", new LinkedHashMap<>(Map.of("_id", "i9", "sessionId", "s1",
                "evaluationData", Map.of("score", 2), "evaluatedAt", new Date(T + 3_000), "lastEvaluationId", "e-v2",
                "versions", Map.of("interactions", -1L, "evaluations", 1L))));
        store.evaluations.put("e-v2", new LinkedHashMap<>(Map.of("_id", "e-v2", "sessionId", "s1", "entityId", "i9",
                "entityType", "interaction", "evaluationData", Map.of("score", 2), "evaluatedAt", new Date(T + 3_000),
                "producer", "test")));
        assertThat(Checker.check(expected, store.snapshot(), PREFIX, 5_000)).isEmpty();

        store.key("mtp:{s1}:i:i9", "j1:0.IjKlMnOp|{\"r\":\"a.\",\"t\":" + (T + 3_000) + "}", T + 3_000 + MIN30);

        assertThat(Checker.check(expected, store.snapshot(), PREFIX, 5_000)).extracting(Finding::toString)
                .containsExactly("WRONG mtp:{s1}:i:i9: present when it should not be (never recorded, only evaluated)");
    }

    /** A store to damage: documents by collection and id, keys by name. */
    private static final class Store {
        final Map<String, Map<String, Object>> sessions = new HashMap<>();
        final Map<String, Map<String, Object>> interactions = new HashMap<>();
        final Map<String, Map<String, Object>> evaluations = new HashMap<>();
        final Map<String, CacheEntry> cache = new LinkedHashMap<>();

        void key(String key, String value, long expireAt) {
            cache.put(key, new CacheEntry(key, value.getBytes(StandardCharsets.UTF_8), expireAt));
        }

        StoreSnapshot snapshot() {
            return new StoreSnapshot(sessions, interactions, evaluations, new ArrayList<>(cache.values()), NOW);
        }
    }
}
