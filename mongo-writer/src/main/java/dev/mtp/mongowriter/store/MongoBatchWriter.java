package dev.mtp.mongowriter.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.WriteModel;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.mongowriter.document.Fields;
import dev.mtp.mongowriter.document.UserMapCodec;
import dev.mtp.mongowriter.write.ErasureWrites;
import dev.mtp.mongowriter.write.EvaluationWrites;
import dev.mtp.mongowriter.write.InteractionWrites;
import dev.mtp.mongowriter.write.PlannedWrite;
import dev.mtp.mongowriter.write.SessionFold;
import dev.mtp.mongowriter.write.Target;
import dev.mtp.mongowriter.write.WriteContext;
import dev.mtp.runtime.consume.BatchWriter;
import dev.mtp.runtime.consume.SourcedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes one poll's events into {@code sessions}, {@code interactions} and {@code evaluations} with unordered
 * bulk writes, version-guarded, in two phases:
 * <ol>
 *   <li>entity documents: interaction documents (one write per interaction id), evaluation documents,
 *       evaluation data attached to interactions, and the erasure of deleted sessions' interactions and
 *       evaluations;</li>
 *   <li>session documents: per session at most one write per owning topic: the folded session fields, the
 *       interaction summary (which needs phase 1's answer: which events created their interaction), the
 *       evaluation summary. The summaries of a session deleted in this batch follow its deletion.</li>
 * </ol>
 * Per-record outcomes are mapped back from bulk-write error indexes (mongo-kafka style): a losing guard (E11000)
 * is resolved by reading the stored versions (stale, duplicate, partly applied before a crash, or a concurrent
 * insert), a data error rejects exactly that write's records (dead-lettered by the loop), anything else is thrown
 * for the loop to retry the batch (transient) or stop (fatal). The main path reads nothing.
 */
public final class MongoBatchWriter implements BatchWriter {

    /** Settings from {@code MongoWriterConfig}. */
    public record Settings(int maxDocumentBytes, int maxMapDepth, int conflictRounds, WriteConcern writeConcern) {}

    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    private static final java.util.Comparator<SourcedEvent> BY_POSITION =
            java.util.Comparator.comparingInt(SourcedEvent::partition).thenComparingLong(SourcedEvent::offset);

    private final Map<Target, MongoCollection<Document>> collections = new EnumMap<>(Target.class);
    private final UserMapCodec codec;
    private final SizeScreen sizeScreen;
    private final int conflictRounds;
    private final Clock clock;
    private final WriterMetrics metrics;

    public MongoBatchWriter(MongoDatabase database, Settings settings, MeterRegistry registry, Clock clock) {
        for (Target target : Target.values()) {
            collections.put(target, database.getCollection(target.collection()).withWriteConcern(settings.writeConcern()));
        }
        this.codec = new UserMapCodec(settings.maxMapDepth());
        this.sizeScreen = new SizeScreen(codec, settings.maxDocumentBytes());
        this.conflictRounds = settings.conflictRounds();
        this.clock = clock;
        this.metrics = new WriterMetrics(registry);
    }

    @Override
    public List<Rejected> write(List<SourcedEvent> batch) {
        WriteContext ctx = new WriteContext(codec, Date.from(clock.instant()));
        Map<SourcedEvent, Throwable> rejected = new LinkedHashMap<>();
        List<SourcedEvent> sessionEvents = new ArrayList<>();
        List<SourcedEvent> interactionEvents = new ArrayList<>();
        List<SourcedEvent> evaluationEvents = new ArrayList<>();
        for (SourcedEvent event : batch) {
            var tooLarge = sizeScreen.check(event);
            if (tooLarge.isPresent()) {
                rejected.put(event, tooLarge.get());
                continue;
            }
            switch (event.topicRole()) {
                case SESSIONS -> sessionEvents.add(event);
                case INTERACTIONS -> interactionEvents.add(event);
                case EVALUATIONS -> evaluationEvents.add(event);
                case DEAD_LETTER -> throw new IllegalArgumentException("mongo-writer does not consume " + event.topic());
            }
        }
        // Deletions in this batch: older interactions and evaluations of those sessions are erased, not written.
        Map<String, Date> erasedAt = new HashMap<>();
        for (SourcedEvent e : sessionEvents) {
            if (e.event().payload() instanceof SessionDeleted) {
                erasedAt.merge(e.event().sessionId(), Date.from(e.event().occurredAt()),
                        (a, b) -> a.after(b) ? a : b);
            }
        }
        List<SourcedEvent> erasedInBatch = new ArrayList<>();
        interactionEvents = dropErased(interactionEvents, erasedAt, erasedInBatch);
        evaluationEvents = dropErased(evaluationEvents, erasedAt, erasedInBatch);
        metrics.skipped(erasedInBatch.size());

        // Phase 1: entity documents.
        List<PlannedWrite> entities = new ArrayList<>();
        groupBy(interactionEvents, e -> e.event().entityId())
                .forEach((id, events) -> entities.add(InteractionWrites.document(ctx, id, events)));
        for (SourcedEvent e : evaluationEvents) {
            entities.add(EvaluationWrites.document(ctx, e));
        }
        groupBy(evaluationEvents.stream().filter(e -> isAbout(e, EntityType.INTERACTION)).toList(),
                e -> e.event().entityId())
                .forEach((id, events) -> entities.add(EvaluationWrites.onInteraction(ctx, id, events)));
        erasedAt.forEach((sessionId, at) -> entities.addAll(ErasureWrites.plan(sessionId, at)));
        List<Finished> entityResults = run(entities, rejected);

        // Which interaction events created their document: from the upsert answers, else read back.
        Set<SourcedEvent> creators = creators(entityResults, rejected);

        // Phase 2: session documents.
        List<PlannedWrite> sessions = new ArrayList<>();
        List<PlannedWrite> afterErasure = new ArrayList<>();
        Map<String, List<SourcedEvent>> folds = groupBy(without(sessionEvents, rejected), e -> e.event().sessionId());
        Set<String> erasing = new HashSet<>();
        folds.forEach((id, events) -> {
            sessions.add(SessionFold.plan(ctx, id, events));
            if (SessionFold.erases(events)) {
                erasing.add(id);
            }
        });
        groupBy(without(interactionEvents, rejected), e -> e.event().sessionId()).forEach((id, events) ->
                (erasing.contains(id) ? afterErasure : sessions).add(InteractionWrites.summary(ctx, id, events, creators)));
        groupBy(without(evaluationEvents, rejected), e -> e.event().sessionId()).forEach((id, events) ->
                (erasing.contains(id) ? afterErasure : sessions).add(EvaluationWrites.summary(ctx, id, events)));
        run(sessions, rejected);
        run(afterErasure, rejected);

        metrics.rejected(rejected.size());
        List<Rejected> out = new ArrayList<>(rejected.size());
        rejected.forEach((event, error) -> out.add(new Rejected(event, error)));
        return out;
    }

    /** A write and how it ended. */
    private record Finished(PlannedWrite write, boolean upserted) {}

    /** Runs writes in rounds until every one is applied, resolved or rejected. */
    private List<Finished> run(List<PlannedWrite> writes, Map<SourcedEvent, Throwable> rejected) {
        List<Finished> finished = new ArrayList<>();
        List<PlannedWrite> pending = writes;
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == conflictRounds) {
                throw new ConcurrentWriteException(pending.size() + " writes still lose their version guard after "
                        + conflictRounds + " rounds, e.g. " + pending.get(0).kind() + " " + pending.get(0).id());
            }
            List<PlannedWrite> next = new ArrayList<>();
            Map<Target, List<PlannedWrite>> byTarget = new EnumMap<>(Target.class);
            pending.forEach(w -> byTarget.computeIfAbsent(w.target(), t -> new ArrayList<>()).add(w));
            for (Map.Entry<Target, List<PlannedWrite>> entry : byTarget.entrySet()) {
                List<PlannedWrite> conflicted = new ArrayList<>();
                for (Outcome outcome : execute(entry.getKey(), entry.getValue())) {
                    switch (outcome.status) {
                        case UPSERTED -> finished.add(new Finished(outcome.write, true));
                        case MATCHED -> finished.add(new Finished(outcome.write, false));
                        case REJECTED -> outcome.write.events().forEach(e -> rejected.putIfAbsent(e, outcome.error));
                        case CONFLICT -> conflicted.add(outcome.write);
                    }
                }
                if (!conflicted.isEmpty()) {
                    Map<String, Document> stored = read(entry.getKey(),
                            conflicted.stream().map(PlannedWrite::id).toList());
                    for (PlannedWrite write : conflicted) {
                        metrics.conflict();
                        PlannedWrite.Resolution resolution = write.resolver().resolve(stored.get(write.id()));
                        metrics.skipped(resolution.skipped().size());
                        next.addAll(resolution.retry());
                        next.addAll(resolution.cleanups());
                        if (resolution.retry().isEmpty()) {
                            finished.add(new Finished(write, false));
                        }
                    }
                }
            }
            pending = next;
        }
        return finished;
    }

    private Set<SourcedEvent> creators(List<Finished> entityResults, Map<SourcedEvent, Throwable> rejected) {
        Set<SourcedEvent> creators = new HashSet<>();
        Map<String, List<SourcedEvent>> unknown = new LinkedHashMap<>();
        Set<String> upserted = new HashSet<>();
        for (Finished f : entityResults) {
            if (f.write().kind() == PlannedWrite.Kind.INTERACTION_DOCUMENT && f.upserted()) {
                upserted.add(f.write().id());
                creators.add(f.write().events().get(0));
            }
        }
        for (Finished f : entityResults) {
            PlannedWrite w = f.write();
            if (w.kind() == PlannedWrite.Kind.INTERACTION_DOCUMENT && !upserted.contains(w.id())
                    && w.events().stream().noneMatch(rejected::containsKey)) {
                unknown.computeIfAbsent(w.id(), id -> new ArrayList<>()).addAll(w.events());
            }
        }
        if (!unknown.isEmpty()) {
            // The document existed (attached evaluation data first, a re-recorded id, or a redelivery): the
            // creating event is the one whose offset it keeps as versions.interactionsFirst.
            Map<String, Document> stored = read(Target.INTERACTIONS, new ArrayList<>(unknown.keySet()));
            unknown.forEach((id, events) -> {
                Document doc = stored.get(id);
                Object versions = doc == null ? null : doc.get(Fields.VERSIONS);
                if (versions instanceof Document v && v.get("interactionsFirst") instanceof Number first) {
                    events.stream().filter(e -> e.offset() == first.longValue()).forEach(creators::add);
                }
            });
        }
        return creators;
    }

    private enum Status { UPSERTED, MATCHED, CONFLICT, REJECTED }

    private record Outcome(PlannedWrite write, Status status, Throwable error) {}

    /** One unordered bulk write; bulk-write error indexes are mapped back to their writes. */
    private List<Outcome> execute(Target target, List<PlannedWrite> writes) {
        List<WriteModel<Document>> models = new ArrayList<>(writes.size());
        for (PlannedWrite w : writes) {
            models.add(w.model());
            metrics.write(w.kind());
        }
        Set<Integer> upserted = new HashSet<>();
        Map<Integer, BulkWriteError> errors = new HashMap<>();
        long start = System.nanoTime();
        try {
            BulkWriteResult result = collections.get(target).bulkWrite(models, UNORDERED);
            result.getUpserts().stream().map(BulkWriteUpsert::getIndex).forEach(upserted::add);
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw e; // applied but maybe not durable: the loop retries the batch
            }
            for (BulkWriteError error : e.getWriteErrors()) {
                if (MongoErrors.classify(error.getCode()) == MongoErrors.WriteErrorKind.OTHER) {
                    throw e; // transient or fatal: MongoErrors decides for the whole batch
                }
                errors.put(error.getIndex(), error);
            }
            e.getWriteResult().getUpserts().stream().map(BulkWriteUpsert::getIndex).forEach(upserted::add);
        } finally {
            metrics.bulk(target, writes.size(), Duration.ofNanos(System.nanoTime() - start));
        }
        List<Outcome> outcomes = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            BulkWriteError error = errors.get(i);
            if (error == null) {
                outcomes.add(new Outcome(writes.get(i), upserted.contains(i) ? Status.UPSERTED : Status.MATCHED, null));
            } else if (MongoErrors.classify(error.getCode()) == MongoErrors.WriteErrorKind.CONFLICT) {
                outcomes.add(new Outcome(writes.get(i), Status.CONFLICT, null));
            } else {
                outcomes.add(new Outcome(writes.get(i), Status.REJECTED,
                        new DocumentRejectedException("MongoDB refused the " + target.collection() + " document "
                                + writes.get(i).id() + ": " + error.getMessage(), error.getCode())));
            }
        }
        return outcomes;
    }

    /** The stored versions (and deletion time) of some documents, by id: one query on {@code _id} only. */
    private Map<String, Document> read(Target target, Collection<String> ids) {
        Map<String, Document> stored = new HashMap<>();
        collections.get(target).find(Filters.in(Fields.ID, ids))
                .projection(Projections.include(Fields.VERSIONS, Fields.DELETED_AT))
                .forEach(doc -> stored.put(doc.getString(Fields.ID), doc));
        return stored;
    }

    private static boolean isAbout(SourcedEvent e, EntityType type) {
        return ((EvaluationRecorded) e.event().payload()).entityType() == type;
    }

    private static List<SourcedEvent> dropErased(List<SourcedEvent> events, Map<String, Date> erasedAt,
                                                 List<SourcedEvent> dropped) {
        if (erasedAt.isEmpty()) {
            return events;
        }
        List<SourcedEvent> kept = new ArrayList<>(events.size());
        for (SourcedEvent e : events) {
            Date at = erasedAt.get(e.event().sessionId());
            if (at != null && !Date.from(e.event().occurredAt()).after(at)) {
                dropped.add(e);
            } else {
                kept.add(e);
            }
        }
        return kept;
    }

    private static List<SourcedEvent> without(List<SourcedEvent> events, Map<SourcedEvent, Throwable> rejected) {
        return rejected.isEmpty() ? events : events.stream().filter(e -> !rejected.containsKey(e)).toList();
    }

    private static Map<String, List<SourcedEvent>> groupBy(List<SourcedEvent> events,
                                                          Function<SourcedEvent, String> key) {
        Map<String, List<SourcedEvent>> groups = new LinkedHashMap<>();
        for (SourcedEvent e : events) {
            groups.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e);
        }
        // One session's events of one topic share a partition; the poll has them in offset order already.
        groups.values().forEach(list -> list.sort(BY_POSITION));
        return groups;
    }
}
