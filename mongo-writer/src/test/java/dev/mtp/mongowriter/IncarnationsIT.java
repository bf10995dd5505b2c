package dev.mtp.mongowriter;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.documents.Fields;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.kafka.TopicIncarnations;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions scoped to a topic incarnation (docs/decisions/0012), against the real broker and the MongoDB server:
 * documents another incarnation wrote, or written before incarnations were recorded, are superseded by the consumed
 * incarnation's events whatever their offsets, field owner by field owner; within one incarnation a replayed older
 * range changes nothing and counts as stale, a redelivered batch as duplicates.
 */
@RealServers
class IncarnationsIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    /** Higher than any offset these tests produce: what the stores keep after the topics restarted their offsets. */
    private static final long OLD_OFFSET = 900;
    private static final String OLD_TAG = "OldTopic";
    private static final List<String> VERSION_KEYS = List.of("sessions", "interactions", "evaluations",
            Fields.FIRST_INTERACTION_KEY);

    @Test
    void documentsOfAnotherIncarnationOrOfNoneAreSupersededByTheConsumedOneFieldOwnerByFieldOwner(TestNamespace ns)
            throws Exception {
        try (Harness h = new Harness(ns)) {
            h.start();
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            Map<String, EventEnvelope> evaluated = new HashMap<>();
            for (String s : List.of("s-other", "s-untagged", "s-partial")) {
                evaluated.put(s, ev.evaluation(s, s, EntityType.SESSION, Map.of("before", true)));
                h.produce(ev.created(s), ev.interaction(s, s + "-i0", "first"), ev.interaction(s, s + "-i1", "second"),
                        evaluated.get(s), ev.evaluation(s, s + "-i0", EntityType.INTERACTION, Map.of("helpful", 1)));
            }
            h.awaitCaughtUp(CATCH_UP);
            h.stopApps();
            // What the stores hold after the topics were recreated (or the pipeline moved): higher offsets of another
            // incarnation, or of none for documents written before incarnations were recorded (the current form).
            asWrittenBefore(h, "s-other", OLD_TAG);
            asWrittenBefore(h, "s-partial", OLD_TAG);
            asWrittenBefore(h, "s-untagged", null);

            RunningApp app = h.start();
            for (String s : List.of("s-other", "s-untagged")) {
                // The same evaluation again (as a failover's replayed tail carries it), then new events of each owner.
                h.produce(evaluated.get(s), ev.updated(s, "moved", Map.of("moved", true), null),
                        ev.interaction(s, s + "-i0", "again"), ev.interaction(s, s + "-new", "new"),
                        ev.evaluation(s, s, EntityType.SESSION, Map.of("after", true)),
                        ev.evaluation(s, s + "-i0", EntityType.INTERACTION, Map.of("helpful", 5)));
            }
            h.produce(ev.evaluation("s-partial", "s-partial", EntityType.SESSION, Map.of("after", true)));
            h.awaitCaughtUp(CATCH_UP);

            Map<TopicRole, String> consumed = incarnations(h);
            for (String s : List.of("s-other", "s-untagged")) {
                Document session = h.session(s);
                assertThat(session.getString(Fields.STATUS)).as(s).isEqualTo("moved");
                assertThat(UserMapCodec.decode(session.get(Fields.CONTEXT, Document.class)))
                        .isEqualTo(Map.of("currentTopic", "product_inquiry", "moved", true));
                // Only the new interaction id counts: the re-recorded one was counted by the incarnation that
                // created its document; both new evaluations count, the one consumed again does not.
                assertThat(session.getInteger(Fields.INTERACTION_COUNT)).as(s).isEqualTo(3);
                assertThat(session.getString(Fields.LAST_INTERACTION_ID)).isEqualTo(s + "-new");
                assertThat(UserMapCodec.decode(session.get(Fields.EVALUATION_DATA, Document.class)))
                        .isEqualTo(Map.of("after", true));
                assertThat(session.getInteger(Fields.EVALUATION_COUNT)).as(s).isEqualTo(4);
                assertVersions(session, consumed, TopicRole.SESSIONS, TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);

                Document rerecorded = h.interaction(s + "-i0");
                assertThat(rerecorded.getString(Fields.RESPONSE)).isEqualTo("again");
                assertThat(UserMapCodec.decode(rerecorded.get(Fields.EVALUATION_DATA, Document.class)))
                        .isEqualTo(Map.of("helpful", 5));
                assertVersions(rerecorded, consumed, TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);
                Document versions = rerecorded.get(Fields.VERSIONS, Document.class);
                assertThat(versions.get(Fields.FIRST_INTERACTION_KEY)).as("created by the other incarnation")
                        .isEqualTo(OLD_OFFSET);
            }
            // Only the evaluation data's owner had an event: the other owners' fields and versions stay as they were.
            Document partial = h.session("s-partial");
            assertThat(UserMapCodec.decode(partial.get(Fields.EVALUATION_DATA, Document.class)))
                    .isEqualTo(Map.of("after", true));
            assertThat(partial.getString(Fields.STATUS)).isEqualTo("active");
            assertThat(partial.getInteger(Fields.INTERACTION_COUNT)).isEqualTo(2);
            assertVersions(partial, consumed, TopicRole.EVALUATIONS);
            Document partialVersions = partial.get(Fields.VERSIONS, Document.class);
            for (String kept : List.of("sessions", "interactions")) {
                assertThat(partialVersions.get(kept)).as(kept).isEqualTo(OLD_OFFSET);
                assertThat(partialVersions.get(Fields.incarnationKey(kept))).as(kept).isEqualTo(OLD_TAG);
            }

            MeterRegistry meters = app.meterRegistry();
            // Per owner, one supersession per document: the first write; later ones are of the same incarnation.
            assertThat(superseded(meters, TopicRole.SESSIONS)).isEqualTo(2);
            assertThat(superseded(meters, TopicRole.INTERACTIONS)).as("2 summaries, 2 interaction documents").isEqualTo(4);
            assertThat(superseded(meters, TopicRole.EVALUATIONS)).as("3 summaries, 2 attached to interactions")
                    .isEqualTo(5);
            assertThat(skipped(meters, "stale")).isZero();
            assertThat(skipped(meters, "duplicate")).as("the evaluations consumed again").isEqualTo(2);
        }
    }

    @Test
    void withinOneIncarnationAReplayedOlderRangeChangesNothingAndCountsAsStale(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            Ranges ranges = twoRanges(h, 3);
            Map<String, List<String>> before = h.snapshot();

            h.stopApps();
            resetGroup(h, ranges.startOfFirst());
            RunningApp app = h.start();
            h.awaitCaughtUp(CATCH_UP);

            assertThat(h.snapshot()).as("after replaying both ranges").isEqualTo(before);
            // Every event of the older range is older than what its documents hold; the newer range is what they hold.
            assertThat(skipped(app.meterRegistry(), "stale")).isEqualTo(ranges.first());
            assertThat(skipped(app.meterRegistry(), "duplicate")).isEqualTo(ranges.second());
            assertThat(supersededTotal(app.meterRegistry())).isZero();
        }
    }

    @Test
    void aRedeliveredBatchCountsAsDuplicatesAndChangesNothing(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            Ranges ranges = twoRanges(h, 3);
            Map<String, List<String>> before = h.snapshot();

            // The last range again, as after a crash before its offsets were committed. Each of its events is the
            // last of its document and owner; a document written by several events of one delivery would count its
            // earlier ones as stale, since offsets cannot tell a redelivery from a replay.
            h.stopApps();
            resetGroup(h, ranges.startOfSecond());
            RunningApp app = h.start();
            h.awaitCaughtUp(CATCH_UP);

            assertThat(h.snapshot()).as("after redelivering the last range").isEqualTo(before);
            assertThat(skipped(app.meterRegistry(), "duplicate")).isEqualTo(ranges.second());
            assertThat(skipped(app.meterRegistry(), "stale")).isZero();
            assertThat(supersededTotal(app.meterRegistry())).isZero();
        }
    }

    /** Where each of two ranges starts on every event-topic partition, and how many events each has. */
    private record Ranges(Map<TopicPartition, Long> startOfFirst, Map<TopicPartition, Long> startOfSecond,
                          long first, long second) {}

    /**
     * Sessions created, then two ranges that each give every session one update, one new interaction and one
     * evaluation of that interaction: each event of the second range is the last of every document and owner it
     * writes (session fields, interaction summary, evaluation summary, its interaction document).
     */
    private static Ranges twoRanges(Harness h, int sessions) throws Exception {
        h.start();
        h.ensureTopics();
        Events.Clocked ev = new Events.Clocked();
        for (int s = 0; s < sessions; s++) {
            h.produce(ev.created("s-" + s), ev.interaction("s-" + s, "s-" + s + "-i", "first"));
        }
        h.awaitCaughtUp(CATCH_UP);
        List<Map<TopicPartition, Long>> starts = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (String range : List.of("a", "b")) {
            starts.add(ends(h));
            List<EventEnvelope> events = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                String id = "s-" + s;
                events.add(ev.updated(id, "status " + range, Map.of("range", range), null));
                events.add(ev.interaction(id, id + "-" + range, "answer " + range));
                events.add(ev.evaluation(id, id + "-" + range, EntityType.INTERACTION, Map.of("range", range)));
            }
            h.produce(events);
            h.awaitCaughtUp(CATCH_UP);
            sizes.add((long) events.size());
        }
        return new Ranges(starts.get(0), starts.get(1), sizes.get(0), sizes.get(1));
    }

    /**
     * Rewrites a session's documents as another incarnation ({@code tag}), or a writer from before incarnations were
     * recorded ({@code tag} null: the stored form until then), would have left them: every version at
     * {@link #OLD_OFFSET}.
     */
    private static void asWrittenBefore(Harness h, String sessionId, String tag) {
        rewriteVersions(h.sessions(), Filters.eq(Fields.ID, sessionId), tag);
        rewriteVersions(h.interactions(), Filters.eq(Fields.SESSION_ID, sessionId), tag);
        h.evaluations().updateMany(Filters.eq(Fields.SESSION_ID, sessionId), tag == null
                ? Updates.unset(Fields.SOURCE + "." + Fields.SOURCE_INCARNATION)
                : Updates.set(Fields.SOURCE + "." + Fields.SOURCE_INCARNATION, tag));
    }

    private static void rewriteVersions(MongoCollection<Document> collection, Bson which, String tag) {
        for (Document doc : collection.find(which)) {
            Document versions = doc.get(Fields.VERSIONS, Document.class);
            List<Bson> changes = new ArrayList<>();
            for (String key : VERSION_KEYS) {
                if (versions.get(key) instanceof Number n && n.longValue() >= 0) {
                    changes.add(Updates.set(Fields.VERSIONS + "." + key, OLD_OFFSET));
                    String incarnation = Fields.VERSIONS + "." + Fields.incarnationKey(key);
                    changes.add(tag == null ? Updates.unset(incarnation) : Updates.set(incarnation, tag));
                }
            }
            collection.updateOne(Filters.eq(Fields.ID, doc.get(Fields.ID)), Updates.combine(changes));
        }
    }

    private static Map<TopicRole, String> incarnations(Harness h) throws InterruptedException {
        TopicIncarnations resolved = TopicIncarnations.resolve(h.ns.admin(), h.topics.allNames(), Duration.ofSeconds(30));
        Map<TopicRole, String> tags = new HashMap<>();
        for (var topic : h.topics.eventTopics()) {
            Incarnation incarnation = resolved.of(topic.name());
            tags.put(topic.role(), incarnation.tag());
        }
        return tags;
    }

    private static void assertVersions(Document doc, Map<TopicRole, String> consumed, TopicRole... owners) {
        Document versions = doc.get(Fields.VERSIONS, Document.class);
        for (TopicRole owner : owners) {
            assertThat(((Number) versions.get(owner.baseName())).longValue()).as(doc.get(Fields.ID) + " " + owner)
                    .isLessThan(OLD_OFFSET);
            assertThat(versions.getString(Fields.incarnationKey(owner.baseName()))).as(doc.get(Fields.ID) + " " + owner)
                    .isEqualTo(consumed.get(owner));
        }
    }

    private static Map<TopicPartition, Long> ends(Harness h) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var topic : h.topics.eventTopics()) {
            IntStream.range(0, Harness.PARTITIONS)
                    .forEach(p -> latest.put(new TopicPartition(topic.name(), p), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        h.ns.admin().listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** Sets the (stopped) group's committed offsets. */
    private static void resetGroup(Harness h, Map<TopicPartition, Long> positions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
        positions.forEach((tp, offset) -> reset.put(tp, new OffsetAndMetadata(offset)));
        h.ns.admin().alterConsumerGroupOffsets(h.group(), reset).all().get();
    }

    private static long skipped(MeterRegistry meters, String reason) {
        return count(meters.find("mtp.mongo.events.skipped").tag("reason", reason).counter());
    }

    private static long superseded(MeterRegistry meters, TopicRole topic) {
        return count(meters.find("mtp.mongo.incarnation.superseded").tag("topic", topic.baseName()).counter());
    }

    private static long supersededTotal(MeterRegistry meters) {
        return meters.find("mtp.mongo.incarnation.superseded").counters().stream().mapToLong(c -> (long) c.count()).sum();
    }

    private static long count(Counter counter) {
        return counter == null ? 0 : (long) counter.count();
    }
}
