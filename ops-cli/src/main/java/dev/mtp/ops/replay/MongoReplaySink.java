package dev.mtp.ops.replay;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.VersionRule;
import dev.mtp.documents.Fields;
import dev.mtp.documents.StoredVersions;
import dev.mtp.mongowriter.store.MongoBatchWriter;
import dev.mtp.runtime.consume.BatchWriter;
import dev.mtp.runtime.consume.SourcedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mongo-writer's side of a replay: its own {@link MongoBatchWriter} (the same guarded upserts, compare-and-set on the
 * document's revision, insert-if-absent evaluations), with what it skipped read from its own counters. The dry run
 * reads the version each event's document holds for the event's topic and applies the version rule to it.
 */
public final class MongoReplaySink implements ReplaySink {

    private static final String SKIPPED = "mtp.mongo.events.skipped";

    private final MongoDatabase db;
    private final MongoBatchWriter writer;
    private final SimpleMeterRegistry counters = new SimpleMeterRegistry();

    public MongoReplaySink(MongoDatabase db, MongoBatchWriter.Settings settings) {
        this.db = db;
        this.writer = new MongoBatchWriter(db, settings, counters, Clock.systemUTC());
    }

    @Override
    public Set<TopicRole> topics() {
        return Set.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS, TopicRole.EVALUATIONS);
    }

    @Override
    public Map<Outcome, Long> write(List<SourcedEvent> batch) throws Exception {
        double duplicates = skipped("duplicate");
        double stale = skipped("stale") + skipped("erased");
        List<BatchWriter.Rejected> refused = writer.write(batch);
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        outcomes.put(Outcome.DUPLICATE, (long) (skipped("duplicate") - duplicates));
        outcomes.put(Outcome.STALE, (long) (skipped("stale") + skipped("erased") - stale));
        outcomes.put(Outcome.REFUSED, (long) refused.size());
        outcomes.put(Outcome.APPLIED, batch.size() - outcomes.values().stream().mapToLong(Long::longValue).sum());
        return outcomes;
    }

    @Override
    public Map<Outcome, Long> judge(List<SourcedEvent> batch) {
        Map<TopicRole, List<SourcedEvent>> byTopic = new EnumMap<>(TopicRole.class);
        batch.forEach(e -> byTopic.computeIfAbsent(e.topicRole(), t -> new ArrayList<>()).add(e));
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        byTopic.forEach((topic, events) -> {
            Map<String, Document> stored = new HashMap<>();
            List<String> ids = events.stream().map(e -> documentId(e)).distinct().toList();
            db.getCollection(collection(topic)).find(Filters.in(Fields.ID, ids)).forEach(d -> stored.put(
                    d.get(Fields.ID).toString(), d));
            for (SourcedEvent e : events) {
                Document doc = stored.get(documentId(e));
                Outcome outcome = topic == TopicRole.EVALUATIONS ? (doc == null ? Outcome.APPLIED : Outcome.DUPLICATE)
                        : outcome(VersionRule.decide(e.version(), StoredVersions.of(doc, topic),
                        VersionRule.OtherIncarnations.SUPERSEDE));
                outcomes.merge(outcome, 1L, Long::sum);
            }
        });
        return outcomes;
    }

    @Override
    public void flush() throws Exception {
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }

    private double skipped(String reason) {
        Counter counter = counters.find(SKIPPED).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The document an event's own topic writes: its session, its interaction, its evaluation. */
    private static String documentId(SourcedEvent e) {
        return switch (e.topicRole()) {
            case SESSIONS -> e.event().sessionId();
            case INTERACTIONS -> e.event().entityId();
            default -> e.event().eventId().toString();
        };
    }

    private static String collection(TopicRole topic) {
        return switch (topic) {
            case SESSIONS -> Fields.SESSIONS;
            case INTERACTIONS -> Fields.INTERACTIONS;
            default -> Fields.EVALUATIONS;
        };
    }

    private static Outcome outcome(VersionRule.Decision decision) {
        return switch (decision) {
            case APPLY -> Outcome.APPLIED;
            case DUPLICATE -> Outcome.DUPLICATE;
            case STALE, OTHER_INCARNATION -> Outcome.STALE;
        };
    }
}
