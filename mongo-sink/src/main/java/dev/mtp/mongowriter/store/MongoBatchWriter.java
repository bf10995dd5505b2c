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
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.WriteModel;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.version.Version;
import dev.mtp.documents.Fields;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.mongowriter.write.DocumentChain;
import dev.mtp.mongowriter.write.ErasureWrites;
import dev.mtp.mongowriter.write.EvaluationWrites;
import dev.mtp.mongowriter.write.InteractionWrites;
import dev.mtp.mongowriter.write.Known;
import dev.mtp.mongowriter.write.LaneEvent;
import dev.mtp.mongowriter.write.PlannedWrite;
import dev.mtp.mongowriter.write.SessionDocumentFold;
import dev.mtp.mongowriter.write.Skipped;
import dev.mtp.mongowriter.write.Target;
import dev.mtp.mongowriter.write.WriteContext;
import dev.mtp.runtime.consume.BatchWriter;
import dev.mtp.runtime.consume.SourcedEvent;
import dev.mtp.mongostore.CachedCodecRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Writes one poll's events into {@code sessions}, {@code interactions} and {@code evaluations} with unordered
 * bulk writes, each write a compare-and-set on its document's revision, in phases:
 * <ol>
 *   <li>entity documents: interaction documents (one write per interaction id), evaluation documents,
 *       evaluation data attached to interactions, and the erasure of deleted sessions' interactions and
 *       evaluations;</li>
 *   <li>session documents: per session at most one write per owning topic: the folded session fields, the
 *       interaction summary (which needs phase 1's answer: which events created their interaction), the
 *       evaluation summary;</li>
 *   <li>the summaries of sessions deleted in this batch, after their deletion.</li>
 * </ol>
 * Each CAS expects the revision the writer last knew ({@link VersionCache}; a new document's by default), so the
 * main path reads nothing. Per-record outcomes are mapped back from bulk-write error indexes (mongo-kafka style):
 * a lost CAS (E11000) is resolved by reading the stored versions and re-planning (stale, duplicate, partly applied
 * before a crash, written by another instance, or erased), a data error rejects exactly that write's records
 * (dead-lettered by the loop), anything else is thrown for the loop to retry the batch (transient) or stop (fatal).
 *
 * <p>Versions are scoped to the incarnation of their topic (docs/decisions/0012): this writer consumes the incarnation
 * it writes, so its events supersede fields another incarnation wrote, whatever their offsets. Skipped events are
 * counted by reason (duplicate, stale, erased) and stale ones logged; supersessions are counted and logged apart.
 */
public final class MongoBatchWriter implements BatchWriter, AutoCloseable {

    /** Settings, as configured: {@link MongoWriteKeys#settings}. */
    public record Settings(int maxDocumentBytes, int maxMapDepth, int conflictRounds, WriteConcern writeConcern,
                           int versionCacheEntries, int writeThreads, Duration summaryWindow, int summaryWindowEvents) {

        /** Summaries written with every batch, nothing held back. */
        public Settings(int maxDocumentBytes, int maxMapDepth, int conflictRounds, WriteConcern writeConcern,
                        int versionCacheEntries, int writeThreads) {
            this(maxDocumentBytes, maxMapDepth, conflictRounds, writeConcern, versionCacheEntries, writeThreads,
                    Duration.ZERO, 1);
        }
    }

    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    private static final Comparator<SourcedEvent> BY_POSITION =
            Comparator.comparingInt(SourcedEvent::partition).thenComparingLong(SourcedEvent::offset);

    private final Map<Target, MongoCollection<Document>> collections = new EnumMap<>(Target.class);
    private final UserMapCodec codec;
    private final SizeScreen sizeScreen;
    private final int conflictRounds;
    private final Clock clock;
    private final WriterMetrics metrics;
    private final SkipLog skipLog = new SkipLog(System::nanoTime);
    private final VersionCache known;
    private final ExecutorService writers;
    private final int writeThreads;

    // Session summaries held back over several polls (docs/decisions/0007), by the topic-partition of their events.
    private final long windowNanos;
    private final int windowEvents;
    private final Map<TopicPartition, Map<String, List<LaneEvent>>> held = new ConcurrentHashMap<>();
    private final AtomicInteger heldEvents = new AtomicInteger();
    private final AtomicLong heldSince = new AtomicLong();
    /** Sessions whose summary the store refused: never held back again, so a refusal maps to its own records. */
    private final Set<String> neverHeld = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            }));

    public MongoBatchWriter(MongoDatabase database, Settings settings, MeterRegistry registry, Clock clock) {
        CachedCodecRegistry codecs = new CachedCodecRegistry();
        for (Target target : Target.values()) {
            collections.put(target, database.getCollection(target.collection()).withWriteConcern(settings.writeConcern())
                    .withCodecRegistry(codecs));
        }
        this.codec = new UserMapCodec(settings.maxMapDepth());
        this.sizeScreen = new SizeScreen(codec, settings.maxDocumentBytes());
        this.conflictRounds = settings.conflictRounds();
        this.clock = clock;
        this.metrics = new WriterMetrics(registry);
        this.known = new VersionCache(settings.versionCacheEntries());
        this.writeThreads = settings.writeThreads();
        this.writers = writeThreads > 1
                ? Executors.newFixedThreadPool(writeThreads, Thread.ofPlatform().daemon().name("mongo-writer-bulk-", 0).factory())
                : null;
        this.windowNanos = settings.summaryWindow().toNanos();
        this.windowEvents = settings.summaryWindowEvents();
    }

    /**
     * Writes the batch; with several write threads, the events of different partition numbers are written
     * concurrently. Records are keyed by session id and the topics share their partition count, so one session's
     * events of every topic share a partition number, and the groups touch disjoint documents (where they do not,
     * e.g. one interaction id used by two sessions, the compare-and-set still serialises them).
     */
    @Override
    public List<Rejected> write(List<SourcedEvent> batch) throws Exception {
        Map<Integer, List<SourcedEvent>> byGroup = new LinkedHashMap<>();
        for (SourcedEvent e : batch) {
            byGroup.computeIfAbsent(group(e.partition()), p -> new ArrayList<>()).add(e);
        }
        Set<String> refused = ConcurrentHashMap.newKeySet();
        List<Rejected> rejected = new ArrayList<>();
        inGroups(byGroup.values(), group -> writeGroup(group, refused)).forEach(rejected::addAll);
        redeliverIfRefused(refused);
        return rejected;
    }

    /** Offsets wait for held-back summaries; {@link #flushDue()} says when they are written. */
    @Override
    public int pending() {
        return heldEvents.get();
    }

    @Override
    public boolean flushDue() {
        long since = heldSince.get();
        return heldEvents.get() >= windowEvents || (since != 0 && System.nanoTime() - since >= windowNanos);
    }

    /** Writes every held-back summary: one guarded write per session and lane, in one bulk per write thread. */
    @Override
    public void flush() throws Exception {
        Map<Integer, List<TopicPartition>> byGroup = new LinkedHashMap<>();
        for (TopicPartition tp : held.keySet()) {
            byGroup.computeIfAbsent(group(tp.partition()), g -> new ArrayList<>()).add(tp);
        }
        Set<String> refused = ConcurrentHashMap.newKeySet();
        inGroups(byGroup.values(), partitions -> {
            WriteContext ctx = new WriteContext(codec, Date.from(clock.instant()));
            List<PlannedWrite.Resolution> plans = new ArrayList<>();
            DocumentChain chain = new DocumentChain(id -> known.get(Target.SESSIONS, id));
            for (TopicPartition tp : partitions) {
                Map<String, List<LaneEvent>> lanes = held.get(tp);
                if (lanes != null) {
                    lanes.forEach((id, events) -> plans.add(chain.plan(id, k -> events.get(0).isEvaluation()
                            ? EvaluationWrites.summary(ctx, id, events, k)
                            : InteractionWrites.summary(ctx, id, events, k))));
                }
            }
            GroupResults results = new GroupResults();
            run(plans, results, refused);
            report(results);
            return List.of();
        });
        redeliverIfRefused(refused);
        dropPending(List.copyOf(held.keySet()));
    }

    @Override
    public void dropPending(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Map<String, List<LaneEvent>> lanes = held.remove(tp);
            if (lanes != null) {
                int n = 0;
                for (List<LaneEvent> lane : lanes.values()) {
                    n += lane.size();
                }
                heldEvents.addAndGet(-n);
            }
        }
        if (held.isEmpty()) {
            heldSince.set(0);
        }
    }

    /**
     * A summary carrying held-back events was refused for a data reason: nothing held back can be mapped to its
     * records, so all of it is dropped and the loop reads it again from the last commit; those sessions are never
     * held back again, so their records then meet the refusal in their own batch and go to the dead-letter topic.
     */
    private void redeliverIfRefused(Set<String> refused) throws RedeliverException {
        if (!refused.isEmpty()) {
            neverHeld.addAll(refused);
            dropPending(List.copyOf(held.keySet()));
            throw new RedeliverException("MongoDB refused the held-back summaries of " + refused.size()
                    + " sessions, e.g. " + refused.iterator().next());
        }
    }

    private int group(int partition) {
        return writers == null ? 0 : Math.floorMod(partition, writeThreads);
    }

    @FunctionalInterface
    private interface GroupWork<T> {
        List<Rejected> run(T group) throws Exception;
    }

    /** Runs the groups concurrently (each on its own write thread), and every one to its end before failing. */
    private <T> List<List<Rejected>> inGroups(Collection<T> groups, GroupWork<T> work) throws Exception {
        if (writers == null || groups.size() <= 1) {
            List<List<Rejected>> out = new ArrayList<>();
            for (T group : groups) {
                out.add(work.run(group));
            }
            return out;
        }
        List<Future<List<Rejected>>> running = new ArrayList<>();
        for (T group : groups) {
            running.add(writers.submit(() -> work.run(group)));
        }
        List<List<Rejected>> out = new ArrayList<>();
        Exception failure = null;
        for (Future<List<Rejected>> f : running) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                // Every group is finished before the batch fails, so no write of it runs on into the retry.
                if (failure == null && e.getCause() instanceof Exception cause) {
                    failure = cause;
                } else if (failure == null) {
                    throw e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    @Override
    public void close() {
        if (writers != null) {
            writers.shutdownNow();
        }
    }

    private List<Rejected> writeGroup(List<SourcedEvent> batch, Set<String> refused) {
        WriteContext ctx = new WriteContext(codec, Date.from(clock.instant()));
        GroupResults results = new GroupResults();
        Map<SourcedEvent, Throwable> rejected = results.rejected;
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
                erasedAt.merge(e.event().sessionId(), Date.from(e.event().occurredAt()), (a, b) -> a.after(b) ? a : b);
            }
        }
        List<SourcedEvent> erasedInBatch = new ArrayList<>();
        interactionEvents = dropErased(interactionEvents, erasedAt, erasedInBatch);
        evaluationEvents = dropErased(evaluationEvents, erasedAt, erasedInBatch);
        erasedInBatch.forEach(e -> results.skip(new Skipped(e, Skipped.Reason.ERASED, Version.NONE)));

        // Phase 1: entity documents.
        List<PlannedWrite.Resolution> entities = new ArrayList<>();
        Map<String, List<SourcedEvent>> byInteraction = groupBy(interactionEvents, e -> e.event().entityId());
        // An evaluation attached in the same bulk as its interaction's document runs after it and expects the
        // revision that write leaves (if it fails, both are re-planned).
        DocumentChain interactionDocuments = new DocumentChain(id -> known.get(Target.INTERACTIONS, id));
        byInteraction.forEach((id, events) -> entities.add(interactionDocuments.plan(id,
                k -> InteractionWrites.document(ctx, id, events, k))));
        for (SourcedEvent e : evaluationEvents) {
            entities.add(PlannedWrite.Resolution.retry(EvaluationWrites.document(ctx, e)));
        }
        groupBy(evaluationEvents.stream().filter(e -> isAbout(e, EntityType.INTERACTION)).toList(),
                e -> e.event().entityId())
                .forEach((id, events) -> entities.add(interactionDocuments.plan(id,
                        k -> EvaluationWrites.onInteraction(ctx, id, events, k))));
        erasedAt.forEach((sessionId, at) -> entities.add(new PlannedWrite.Resolution(List.of(), List.of(),
                ErasureWrites.plan(sessionId, at))));
        run(entities, results, refused);

        // Which interaction events created their document: the one whose version the document keeps as first.
        Set<SourcedEvent> creators = Collections.newSetFromMap(new IdentityHashMap<>());
        byInteraction.forEach((id, events) -> {
            Version first = known.get(Target.INTERACTIONS, id).interactionsFirst();
            events.stream().filter(e -> e.version().equals(first)).forEach(creators::add);
        });

        // Phase 2: session documents; phase 3: the summaries of sessions deleted in this batch, after the deletion.
        // A summary is held back (its events' share kept as LaneEvents, written by flush) unless the window is off,
        // the batch also changes the session's own fields (a fold or deletion orders with it), or the store refused
        // the session's summary before; one written now carries what was held back for it.
        Map<String, List<SourcedEvent>> folds = groupBy(without(sessionEvents, rejected), e -> e.event().sessionId());
        Map<String, List<LaneEvent>> interactionLanes = lanes(without(interactionEvents, rejected),
                e -> LaneEvent.interaction(e, creators.contains(e)));
        Map<String, List<LaneEvent>> evaluationLanes = lanes(without(evaluationEvents, rejected),
                e -> LaneEvent.evaluation(e, results.evaluationsCreated.contains(e)));
        Set<String> now = new HashSet<>();
        if (windowNanos == 0) {
            now.addAll(interactionLanes.keySet());
            now.addAll(evaluationLanes.keySet());
        } else {
            now.addAll(folds.keySet());
            interactionLanes.keySet().stream().filter(neverHeld::contains).forEach(now::add);
            evaluationLanes.keySet().stream().filter(neverHeld::contains).forEach(now::add);
        }
        Map<String, Integer> partitionOf = new HashMap<>();
        for (SourcedEvent e : batch) {
            partitionOf.putIfAbsent(e.event().sessionId(), e.partition());
        }
        List<HeldLane> taken = new ArrayList<>();
        for (String id : now) {
            for (Map.Entry<TopicPartition, Map<String, List<LaneEvent>>> entry : held.entrySet()) {
                List<LaneEvent> earlier = entry.getKey().partition() == partitionOf.get(id) ? entry.getValue().get(id) : null;
                if (earlier != null) {
                    taken.add(new HeldLane(entry.getKey(), id));
                    boolean evaluations = earlier.get(0).isEvaluation();
                    List<LaneEvent> lane = new ArrayList<>(earlier);
                    lane.addAll((evaluations ? evaluationLanes : interactionLanes).getOrDefault(id, List.of()));
                    (evaluations ? evaluationLanes : interactionLanes).put(id, lane);
                }
            }
        }
        Set<String> erasing = new HashSet<>();
        folds.forEach((id, events) -> {
            if (SessionDocumentFold.erases(events)) {
                erasing.add(id);
            }
        });
        // A session's fold and summaries share its revision: each expects what the one before it leaves.
        DocumentChain sessionDocuments = new DocumentChain(id -> known.get(Target.SESSIONS, id));
        List<PlannedWrite.Resolution> sessions = new ArrayList<>();
        folds.forEach((id, events) -> sessions.add(sessionDocuments.plan(id,
                k -> SessionDocumentFold.plan(ctx, id, events, k))));
        sessions.addAll(summaries(ctx, interactionLanes, evaluationLanes, id -> now.contains(id) && !erasing.contains(id),
                sessionDocuments));
        run(sessions, results, refused);
        if (!erasing.isEmpty()) {
            run(summaries(ctx, interactionLanes, evaluationLanes, erasing::contains,
                    new DocumentChain(id -> known.get(Target.SESSIONS, id))), results, refused);
        }

        // Written: what was held back for those sessions is done; the others' share of this batch is held back.
        for (HeldLane lane : taken) {
            Map<String, List<LaneEvent>> lanes = held.get(lane.partition());
            List<LaneEvent> done = lanes == null ? null : lanes.remove(lane.sessionId());
            if (done != null) {
                heldEvents.addAndGet(-countHeld(done));
            }
        }
        if (!taken.isEmpty() && heldEvents.get() == 0) {
            heldSince.set(0);
        }
        hold(interactionLanes, now);
        hold(evaluationLanes, now);

        report(results);
        metrics.rejected(rejected.size());
        List<Rejected> out = new ArrayList<>(rejected.size());
        rejected.forEach((event, error) -> out.add(new Rejected(event, error)));
        out.sort(Comparator.comparing((Rejected r) -> r.event().topic()).thenComparing(r -> r.event(), BY_POSITION));
        return out;
    }

    private record HeldLane(TopicPartition partition, String sessionId) {}

    /**
     * What the writes of one partition group (one batch, or one flush) found, by record identity: a record's
     * hashCode would hash the whole envelope (payload, maps) on every lookup.
     */
    private static final class GroupResults {
        final Map<SourcedEvent, Throwable> rejected = new IdentityHashMap<>();
        /** Each skipped record once, with the strongest reason any of its writes found (erased, stale, duplicate). */
        final Map<SourcedEvent, Skipped> skipped = new IdentityHashMap<>();
        /** Evaluation events whose evaluation document holds them: inserted now, or by the same event before. */
        final Set<SourcedEvent> evaluationsCreated = Collections.newSetFromMap(new IdentityHashMap<>());

        void skip(Skipped skip) {
            skipped.merge(skip.event(), skip, (a, b) -> b.reason().compareTo(a.reason()) > 0 ? b : a);
        }
    }

    /** Counts the group's skipped records by reason, and logs the stale ones (rate-limited). */
    private void report(GroupResults results) {
        for (Skipped skip : results.skipped.values()) {
            metrics.skipped(skip.reason());
            if (skip.reason() == Skipped.Reason.STALE) {
                skipLog.stale(skip);
            }
        }
    }

    private static int countHeld(List<LaneEvent> lane) {
        int n = 0;
        for (LaneEvent e : lane) {
            if (e.source() == null) {
                n++;
            }
        }
        return n;
    }

    /** Keeps the batch's share of the summaries not written now, without the events themselves. */
    private void hold(Map<String, List<LaneEvent>> lanes, Set<String> now) {
        lanes.forEach((id, events) -> {
            if (now.contains(id)) {
                return;
            }
            SourcedEvent first = events.get(0).source();
            List<LaneEvent> lane = held.computeIfAbsent(new TopicPartition(first.topic(), first.partition()),
                    tp -> new HashMap<>()).computeIfAbsent(id, k -> new ArrayList<>());
            long last = lane.isEmpty() ? Long.MIN_VALUE : lane.get(lane.size() - 1).offset();
            int added = 0;
            for (LaneEvent e : events) {
                if (e.offset() > last) { // a batch written again (after a retry) is held once
                    lane.add(e.held());
                    added++;
                }
            }
            if (added > 0) {
                heldEvents.addAndGet(added);
                heldSince.compareAndSet(0, System.nanoTime());
            }
        });
    }

    private static Map<String, List<LaneEvent>> lanes(List<SourcedEvent> events, Function<SourcedEvent, LaneEvent> share) {
        Map<String, List<LaneEvent>> lanes = new LinkedHashMap<>();
        groupBy(events, e -> e.event().sessionId()).forEach((id, list) -> {
            List<LaneEvent> lane = new ArrayList<>(list.size());
            list.forEach(e -> lane.add(share.apply(e)));
            lanes.put(id, lane);
        });
        return lanes;
    }

    private List<PlannedWrite.Resolution> summaries(WriteContext ctx, Map<String, List<LaneEvent>> interactionLanes,
                                                    Map<String, List<LaneEvent>> evaluationLanes,
                                                    java.util.function.Predicate<String> which,
                                                    DocumentChain chain) {
        List<PlannedWrite.Resolution> plans = new ArrayList<>();
        interactionLanes.forEach((id, events) -> {
            if (which.test(id)) {
                plans.add(chain.plan(id, k -> InteractionWrites.summary(ctx, id, events, k)));
            }
        });
        evaluationLanes.forEach((id, events) -> {
            if (which.test(id)) {
                plans.add(chain.plan(id, k -> EvaluationWrites.summary(ctx, id, events, k)));
            }
        });
        return plans;
    }

    /** Runs planned writes in rounds until every one is applied, resolved or rejected. */
    private void run(List<PlannedWrite.Resolution> plans, GroupResults results, Set<String> refused) {
        Map<SourcedEvent, Throwable> rejected = results.rejected;
        List<PlannedWrite> pending = new ArrayList<>();
        for (PlannedWrite.Resolution plan : plans) {
            plan.skipped().forEach(results::skip);
            pending.addAll(plan.retry());
            pending.addAll(plan.cleanups());
        }
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == conflictRounds) {
                throw new ConcurrentWriteException(pending.size() + " writes still lose their version guard after "
                        + conflictRounds + " rounds, e.g. " + pending.get(0).kind() + " " + pending.get(0).id());
            }
            List<PlannedWrite> next = new ArrayList<>();
            Map<Target, List<PlannedWrite>> byTarget = new EnumMap<>(Target.class);
            pending.forEach(w -> byTarget.computeIfAbsent(w.target(), t -> new ArrayList<>()).add(w));
            for (Map.Entry<Target, List<PlannedWrite>> entry : byTarget.entrySet()) {
                Target target = entry.getKey();
                List<PlannedWrite> lost = new ArrayList<>();
                List<PlannedWrite> alreadyInserted = new ArrayList<>();
                for (Outcome outcome : execute(target, entry.getValue())) {
                    PlannedWrite write = outcome.write();
                    switch (outcome.status()) {
                        case UPSERTED, MATCHED -> {
                            if (write.kind() == PlannedWrite.Kind.EVALUATION_DOCUMENT) {
                                results.evaluationsCreated.addAll(write.events());
                            }
                            if (write.id() != null && write.applied() != PlannedWrite.Applied.NOTHING) {
                                remember(target, write, outcome.status() == Status.UPSERTED
                                        || write.model() instanceof InsertOneModel);
                            }
                            if (write.supersedes() != null) {
                                metrics.superseded(write.supersedes().topic());
                                skipLog.superseded(write);
                            }
                        }
                        case REJECTED -> {
                            write.events().forEach(e -> rejected.putIfAbsent(e, outcome.error()));
                            if (target == Target.SESSIONS && write.id() != null) {
                                neverHeld.add(write.id());
                            }
                            if (write.heldBack()) {
                                refused.add(write.id());
                            }
                        }
                        case CONFLICT -> {
                            if (write.resolver() == PlannedWrite.ConflictResolver.ALREADY_APPLIED) {
                                alreadyInserted.add(write); // an evaluation inserted before: a redelivery or replay
                            } else {
                                lost.add(write);
                            }
                        }
                    }
                }
                if (!alreadyInserted.isEmpty()) {
                    evaluationsInsertedBefore(alreadyInserted, results);
                }
                if (!lost.isEmpty()) {
                    List<String> ids = lost.stream().map(PlannedWrite::id).distinct().toList();
                    Map<String, Document> stored = read(target, ids);
                    ids.forEach(id -> known.put(target, id, Known.of(stored.get(id))));
                    // Several lost writes of one document are re-planned as a chain again, from what is stored.
                    DocumentChain replanned = new DocumentChain(id -> known.get(target, id));
                    for (PlannedWrite write : lost) {
                        metrics.conflict();
                        PlannedWrite.Resolution resolution = replanned.plan(write.id(), write.resolver()::resolve);
                        resolution.skipped().forEach(results::skip);
                        next.addAll(resolution.retry());
                        next.addAll(resolution.cleanups());
                    }
                }
            }
            pending = next;
        }
    }

    /**
     * Updates what the version cache knows of a document after a write of it succeeded. A document that was neither
     * created now nor is in the cache any more was evicted since the write was planned: what the cache would hold
     * then is only this write's share, so it is left out and the next write of it reads what is stored.
     */
    private void remember(Target target, PlannedWrite write, boolean inserted) {
        Known k = known.cached(target, write.id());
        if (k == null && !inserted) {
            return;
        }
        Known updated = k != null ? k : Known.nothing();
        write.applied().update(updated, inserted);
        known.put(target, write.id(), updated);
    }

    /**
     * Evaluation documents found inserted already (insert-if-absent lost): each counts as a duplicate, and as created
     * by its event when the stored document's source is that very event (a redelivery after a crash or a retry), not
     * the same evaluation consumed from another incarnation: only then does a summary that supersedes another
     * incarnation's count it (docs/decisions/0012). One query on {@code _id} for all of them.
     */
    private void evaluationsInsertedBefore(List<PlannedWrite> writes, GroupResults results) {
        Map<String, Document> stored = new HashMap<>();
        collections.get(Target.EVALUATIONS).find(Filters.in(Fields.ID, writes.stream().map(PlannedWrite::id).toList()))
                .projection(Projections.include(Fields.SOURCE))
                .forEach(doc -> stored.put(doc.getString(Fields.ID), doc));
        for (PlannedWrite write : writes) {
            Document doc = stored.get(write.id());
            for (SourcedEvent e : write.events()) {
                if (doc != null && EvaluationWrites.createdBy(doc, e)) {
                    results.evaluationsCreated.add(e);
                }
                results.skip(new Skipped(e, Skipped.Reason.DUPLICATE, e.version()));
            }
        }
    }

    private enum Status { UPSERTED, MATCHED, CONFLICT, REJECTED }

    private record Outcome(PlannedWrite write, Status status, Throwable error) {}

    /** One unordered bulk write; bulk-write error indexes are mapped back to their writes, in write order. */
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

    /** The stored revision, versions and deletion time of some documents, by id: one query on {@code _id} alone. */
    private Map<String, Document> read(Target target, Collection<String> ids) {
        Map<String, Document> stored = new HashMap<>();
        collections.get(target).find(Filters.in(Fields.ID, ids))
                .projection(Projections.include(Fields.REV, Fields.VERSIONS, Fields.DELETED_AT))
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
