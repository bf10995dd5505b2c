package dev.mtp.mongowriter.store;

import com.mongodb.client.model.InsertOneModel;
import dev.mtp.mongowriter.write.DocumentChain;
import dev.mtp.mongowriter.write.EvaluationWrites;
import dev.mtp.mongowriter.write.Known;
import dev.mtp.mongowriter.write.PlannedWrite;
import dev.mtp.mongowriter.write.Skipped;
import dev.mtp.mongowriter.write.Target;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one phase's planned writes in rounds of bulk writes until every one is applied, resolved or rejected. Each
 * compare-and-set expects the revision the writer last knew ({@link VersionCache}), so the main path reads nothing; a
 * lost one is resolved by reading the stored versions and re-planning (stale, duplicate, partly applied before a
 * crash, written by another instance, or erased).
 */
final class WriteRounds {
    private final BulkExecutor executor;
    private final VersionCache known;
    private final SummaryWindow window;
    private final WriterMetrics metrics;
    private final SkipLog skipLog;
    private final int conflictRounds;

    WriteRounds(BulkExecutor executor, VersionCache known, SummaryWindow window, WriterMetrics metrics, SkipLog skipLog,
                int conflictRounds) {
        this.executor = executor;
        this.known = known;
        this.window = window;
        this.metrics = metrics;
        this.skipLog = skipLog;
        this.conflictRounds = conflictRounds;
    }

    /**
     * Runs the planned writes; what they found goes to {@code results}, and the sessions whose held-back summary the
     * store refused to {@code refused}.
     */
    void run(List<PlannedWrite.Resolution> plans, GroupResults results, Set<String> refused) {
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
                next.addAll(round(entry.getKey(), entry.getValue(), results, refused));
            }
            pending = next;
        }
    }

    /** One bulk write of one target; returns the lost writes re-planned for the next round. */
    private List<PlannedWrite> round(Target target, List<PlannedWrite> writes, GroupResults results,
                                     Set<String> refused) {
        List<PlannedWrite> lost = new ArrayList<>();
        List<PlannedWrite> alreadyInserted = new ArrayList<>();
        for (BulkExecutor.Outcome outcome : executor.execute(target, writes)) {
            PlannedWrite write = outcome.write();
            switch (outcome.status()) {
                case UPSERTED, MATCHED -> {
                    if (write.kind() == PlannedWrite.Kind.EVALUATION_DOCUMENT) {
                        results.evaluationsCreated.addAll(write.events());
                    }
                    if (write.id() != null && write.applied() != PlannedWrite.Applied.NOTHING) {
                        remember(target, write, outcome.status() == BulkExecutor.Status.UPSERTED
                                || write.model() instanceof InsertOneModel);
                    }
                    if (write.supersedes() != null) {
                        metrics.superseded(write.supersedes().topic());
                        skipLog.superseded(write);
                    }
                }
                case REJECTED -> {
                    write.events().forEach(e -> results.rejected.putIfAbsent(e, outcome.error()));
                    if (target == Target.SESSIONS && write.id() != null) {
                        window.neverHold(write.id());
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
        List<PlannedWrite> next = new ArrayList<>();
        if (!lost.isEmpty()) {
            List<String> ids = lost.stream().map(PlannedWrite::id).distinct().toList();
            Map<String, Document> stored = executor.versions(target, ids);
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
        return next;
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
        Map<String, Document> stored = executor.evaluationSources(writes.stream().map(PlannedWrite::id).toList());
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
}
