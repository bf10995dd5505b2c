package dev.mtp.mongowriter;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** design.md section 5, invariants 2, 3 and 7, against the real broker and the MongoDB server. */
@RealServers
class InvariantsIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    /** A mixed workload: several sessions with updates, interactions (one re-recorded), evaluations, a close. */
    static List<EventEnvelope> workload(Events.Clocked ev, int sessions) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String id = "s-" + s;
            events.add(ev.created(id));
            for (int i = 0; i < 4; i++) {
                events.add(ev.interaction(id, id + "-i" + i, "answer " + i));
            }
            events.add(ev.updated(id, "idle", Map.of("step", s), Map.of("tier", "gold")));
            events.add(ev.interaction(id, id + "-i1", "answer 1, corrected"));
            events.add(ev.evaluation(id, id, EntityType.SESSION, Map.of("score", s)));
            events.add(ev.evaluation(id, id + "-i0", EntityType.INTERACTION, Map.of("helpful", true)));
            if (s % 3 == 0) {
                events.add(ev.closed(id));
            }
        }
        return events;
    }

    @Test
    void redeliveryAndReplayOfAnyRangeChangeNothing(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            var app = h.start();
            h.ensureTopics();
            h.produce(workload(new Events.Clocked(), 12));
            h.awaitCaughtUp(CATCH_UP);
            Map<String, List<String>> before = h.snapshot();
            assertThat(h.session("s-0").getInteger("interactionCount")).isEqualTo(4);

            // Replay everything: the group starts again from offset 0 of every partition.
            app.close();
            resetGroup(h, end -> 0);
            h.start();
            h.awaitCaughtUp(CATCH_UP);
            assertThat(h.snapshot()).as("after replaying every topic from the start").isEqualTo(before);

            // Replay a middle range: from half of each partition.
            h.stopApps();
            resetGroup(h, end -> end / 2);
            h.start();
            h.awaitCaughtUp(CATCH_UP);
            assertThat(h.snapshot()).as("after replaying from the middle").isEqualTo(before);
        }
    }

    @Test
    void interactionCountCountsDistinctInteractionIdsWhateverTheOrderOfTopics(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            // An evaluation of i3 arrives before i3 itself (another topic, another consumer position).
            h.produce(ev.evaluation("s-count", "i3", EntityType.INTERACTION, Map.of("early", true)));
            h.produce(ev.created("s-count"), ev.interaction("s-count", "i1", "a"), ev.interaction("s-count", "i2", "b"),
                    ev.interaction("s-count", "i1", "a again"), ev.interaction("s-count", "i3", "c"));
            h.awaitCaughtUp(CATCH_UP);

            Document session = h.session("s-count");
            assertThat(session.getInteger("interactionCount")).isEqualTo(3);
            assertThat(session.getString("lastInteractionId")).isEqualTo("i3");
            assertThat(h.interaction("i1").getString("response")).isEqualTo("a again");
            assertThat(UserMapCodec.decode(h.interaction("i3").get("evaluationData", Document.class)))
                    .isEqualTo(Map.of("early", true));
            assertThat(h.interaction("i3").getString("response")).isEqualTo("c");
        }
    }

    @Test
    void userMapsWithDotsDollarsAndDeepNestingAreStoredSafelyAndNeverRunAsOperators(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            Map<String, Object> hostile = new LinkedHashMap<>();
            hostile.put("a.b", 1);
            hostile.put("$set", Map.of("status", "hacked", "userId", "mallory"));
            hostile.put("$where", "sleep(1000)");
            hostile.put("%", "percent");
            hostile.put("%2E", "looks escaped");
            hostile.put("", "empty key");
            hostile.put("x.$y", Map.of("$gt", 1, "nested.key", List.of(Map.of("$inc", 1))));
            hostile.put("deep", nested(45));
            Map<String, Object> change = new HashMap<>();
            change.put("$inc", Map.of("interactionCount", 1000));
            change.put("a.b", 2);
            change.put("%", null);
            h.produce(ev.created("s-safe", "user-1", hostile, Map.of("$ne", "x")),
                    ev.updated("s-safe", null, change, null),
                    ev.interaction("s-safe", "i-safe", "ok", Map.of("$unset", "", "..", ".")),
                    ev.evaluation("s-safe", "s-safe", EntityType.SESSION, Map.of("$gt", Map.of("a.b", "c"), "score", 3)));
            h.awaitCaughtUp(CATCH_UP);

            Map<String, Object> expected = new LinkedHashMap<>(hostile);
            expected.put("$inc", Map.of("interactionCount", 1000));
            expected.put("a.b", 2);
            expected.remove("%");
            Document session = h.session("s-safe");
            assertThat(UserMapCodec.decode(session.get("context", Document.class))).isEqualTo(expected);
            assertThat(UserMapCodec.decode(session.get("metadata", Document.class))).isEqualTo(Map.of("$ne", "x"));
            assertThat(session.getString("status")).isEqualTo("active");
            assertThat(session.getString("userId")).isEqualTo("user-1");
            assertThat(session.getInteger("interactionCount")).isEqualTo(1);
            assertThat(session.get("context", Document.class).keySet())
                    .allSatisfy(key -> assertThat(key).doesNotStartWith("$").doesNotContain("."));
            assertThat(UserMapCodec.decode(h.interaction("i-safe").get("context", Document.class)))
                    .isEqualTo(Map.of("$unset", "", "..", "."));
            assertThat(UserMapCodec.decode(session.get("evaluationData", Document.class)))
                    .isEqualTo(Map.of("$gt", Map.of("a.b", "c"), "score", 3));
            // Analysts query an escaped key by its escaped name, never as an operator.
            assertThat(h.evaluations().countDocuments(new Document("evaluationData.%24gt.a%2Eb", "c"))).isEqualTo(1);
        }
    }

    @Test
    void aDeletedSessionIsErasedEverywhereAndNeitherReplaysNorLateOlderEventsBringItBack(TestNamespace ns)
            throws Exception {
        try (Harness h = new Harness(ns)) {
            var app = h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(ev.created("s-del"), ev.interaction("s-del", "d-i1", "a"), ev.interaction("s-del", "d-i2", "b"),
                    ev.evaluation("s-del", "d-i1", EntityType.INTERACTION, Map.of("x", 1)),
                    ev.evaluation("s-del", "s-del", EntityType.SESSION, Map.of("y", 2)),
                    ev.created("s-keep"), ev.interaction("s-keep", "k-i1", "kept"));
            Instant beforeDeletion = ev.now();
            h.awaitCaughtUp(CATCH_UP);
            h.produce(ev.deleted("s-del"));
            Instant deletedAt = ev.now();
            h.awaitCaughtUp(CATCH_UP);

            assertErased(h, deletedAt);
            assertThat(h.interaction("k-i1")).isNotNull();

            // An interaction and an evaluation accepted before the deletion but consumed after it.
            ev.at(beforeDeletion.minusSeconds(10));
            h.produce(ev.interaction("s-del", "d-late", "late"),
                    ev.evaluation("s-del", "d-i2", EntityType.INTERACTION, Map.of("late", true)));
            h.awaitCaughtUp(CATCH_UP);
            assertErased(h, deletedAt);
            Map<String, List<String>> erased = h.snapshot();

            app.close();
            resetGroup(h, end -> 0);
            h.start();
            h.awaitCaughtUp(CATCH_UP);
            assertThat(h.snapshot()).as("after a replay of every topic").isEqualTo(erased);

            // A new interaction after the deletion is a new life of the session id.
            ev.at(deletedAt.plusSeconds(60));
            h.produce(ev.interaction("s-del", "d-new", "new"));
            h.awaitCaughtUp(CATCH_UP);
            assertThat(h.interaction("d-new")).isNotNull();
            assertThat(h.session("s-del").getInteger("interactionCount")).isEqualTo(1);
        }
    }

    private static void assertErased(Harness h, Instant deletedAt) {
        Document tombstone = h.session("s-del");
        assertThat(tombstone.getBoolean("deleted")).isTrue();
        assertThat(tombstone.getDate("deletedAt").toInstant()).isEqualTo(deletedAt);
        assertThat(tombstone).doesNotContainKeys("userId", "status", "context", "metadata", "interactionCount",
                "evaluationData", "lastInteractionId");
        assertThat(h.interactions().countDocuments(new Document("sessionId", "s-del"))).isZero();
        assertThat(h.evaluations().countDocuments(new Document("sessionId", "s-del"))).isZero();
    }

    private static Object nested(int depth) {
        Object value = "bottom";
        for (int i = 0; i < depth; i++) {
            value = Map.of("level" + i, value);
        }
        return value;
    }

    /** Sets the (stopped) group's committed offsets of every event-topic partition to {@code position(end)}. */
    static void resetGroup(Harness h, LongUnaryOperator position) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var topic : h.topics.eventTopics()) {
            IntStream.range(0, Harness.PARTITIONS)
                    .forEach(p -> latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest()));
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = h.ns.admin().listOffsets(latest).all().get();
        Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
        ends.forEach((tp, info) -> reset.put(tp, new OffsetAndMetadata(position.applyAsLong(info.offset()))));
        h.ns.admin().alterConsumerGroupOffsets(h.group(), reset).all().get();
    }
}
