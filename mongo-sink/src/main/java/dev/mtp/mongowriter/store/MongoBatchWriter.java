package dev.mtp.mongowriter.store;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoDatabase;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.mongowriter.write.BatchPlanner;
import dev.mtp.mongowriter.write.LaneEvent;
import dev.mtp.mongowriter.write.SessionWork;
import dev.mtp.mongowriter.write.Skipped;
import dev.mtp.mongowriter.write.WriteContext;
import dev.mtp.runtime.consume.BatchWriter;
import dev.mtp.runtime.consume.SourcedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes one poll's events into {@code sessions}, {@code interactions} and {@code evaluations} with unordered
 * bulk writes, each write a compare-and-set on its document's revision, in the phases {@link BatchPlanner} plans
 * (pure): entity documents, then session documents, then the summaries of sessions deleted in the batch.
 * {@link WriteRounds} runs each phase against {@link BulkExecutor}; the summaries a batch does not write now are held
 * back in the {@link SummaryWindow} (docs/decisions/0007). Each CAS expects the revision the writer last knew
 * ({@link VersionCache}; a new document's by default), so the main path reads nothing. Per-record outcomes are mapped
 * back from bulk-write error indexes (mongo-kafka style): a lost CAS (E11000) is re-planned from what is stored, a
 * data error rejects exactly that write's records (dead-lettered by the loop), anything else is thrown for the loop
 * to retry the batch (transient) or stop (fatal).
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

    private static final Comparator<SourcedEvent> BY_POSITION =
            Comparator.comparingInt(SourcedEvent::partition).thenComparingLong(SourcedEvent::offset);

    private final UserMapCodec codec;
    private final SizeScreen sizeScreen;
    private final Clock clock;
    private final WriterMetrics metrics;
    private final SkipLog skipLog = new SkipLog(System::nanoTime);
    private final VersionCache known;
    private final SummaryWindow window;
    private final WriteRounds rounds;
    private final ExecutorService writers;
    private final int writeThreads;

    public MongoBatchWriter(MongoDatabase database, Settings settings, MeterRegistry registry, Clock clock) {
        this.codec = new UserMapCodec(settings.maxMapDepth());
        this.sizeScreen = new SizeScreen(codec, settings.maxDocumentBytes());
        this.clock = clock;
        this.metrics = new WriterMetrics(registry);
        this.known = new VersionCache(settings.versionCacheEntries());
        this.window = new SummaryWindow(settings.summaryWindow(), settings.summaryWindowEvents(), System::nanoTime);
        this.rounds = new WriteRounds(new BulkExecutor(database, settings.writeConcern(), metrics), known, window,
                metrics, skipLog, settings.conflictRounds());
        this.writeThreads = settings.writeThreads();
        this.writers = writeThreads > 1
                ? Executors.newFixedThreadPool(writeThreads, Thread.ofPlatform().daemon().name("mongo-writer-bulk-", 0).factory())
                : null;
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
        return window.pending();
    }

    @Override
    public boolean flushDue() {
        return window.flushDue();
    }

    /** Writes every held-back summary: one guarded write per session and lane, in one bulk per write thread. */
    @Override
    public void flush() throws Exception {
        Map<Integer, List<TopicPartition>> byGroup = new LinkedHashMap<>();
        for (TopicPartition tp : window.partitions()) {
            byGroup.computeIfAbsent(group(tp.partition()), g -> new ArrayList<>()).add(tp);
        }
        Set<String> refused = ConcurrentHashMap.newKeySet();
        inGroups(byGroup.values(), partitions -> {
            WriteContext ctx = new WriteContext(codec, Date.from(clock.instant()));
            List<Map<String, List<LaneEvent>>> held = partitions.stream().map(window::lanes).filter(Objects::nonNull)
                    .toList();
            GroupResults results = new GroupResults();
            rounds.run(BatchPlanner.heldSummaries(ctx, known::get, held), results, refused);
            report(results);
            return List.of();
        });
        redeliverIfRefused(refused);
        window.dropAll();
    }

    @Override
    public void dropPending(Collection<TopicPartition> partitions) {
        window.drop(partitions);
    }

    /**
     * A summary carrying held-back events was refused for a data reason: nothing held back can be mapped to its
     * records, so all of it is dropped and the loop reads it again from the last commit; those sessions are never
     * held back again, so their records then meet the refusal in their own batch and go to the dead-letter topic.
     */
    private void redeliverIfRefused(Set<String> refused) throws RedeliverException {
        if (!refused.isEmpty()) {
            refused.forEach(window::neverHold);
            window.dropAll();
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
        List<SourcedEvent> fitting = new ArrayList<>(batch.size());
        for (SourcedEvent event : batch) {
            var tooLarge = sizeScreen.check(event);
            if (tooLarge.isPresent()) {
                results.rejected.put(event, tooLarge.get());
            } else {
                fitting.add(event);
            }
        }
        BatchPlanner planner = new BatchPlanner(ctx, known::get, fitting);
        planner.erased().forEach(results::skip);
        rounds.run(planner.entities(), results, refused);

        // A summary is held back (its events' share kept as LaneEvents, written by flush) unless the window says it
        // is written now; one written now carries what was held back for it.
        SessionWork work = planner.sessionWork(planner.creators(), results.evaluationsCreated, results.rejected);
        Set<String> now = window.writtenNow(work);
        List<SummaryWindow.HeldLane> taken = window.takeInto(work, now, batch);
        rounds.run(planner.sessions(work, now), results, refused);
        if (!work.erasing().isEmpty()) {
            rounds.run(planner.erasedSummaries(work), results, refused);
        }

        // Written: what was held back for those sessions is done; the others' share of this batch is held back.
        window.written(taken);
        window.hold(work.interactionLanes(), now);
        window.hold(work.evaluationLanes(), now);

        report(results);
        metrics.rejected(results.rejected.size());
        List<Rejected> out = new ArrayList<>(results.rejected.size());
        results.rejected.forEach((event, error) -> out.add(new Rejected(event, error)));
        out.sort(Comparator.comparing((Rejected r) -> r.event().topic()).thenComparing(r -> r.event(), BY_POSITION));
        return out;
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
}
