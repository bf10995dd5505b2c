package dev.mtp.mongowriter.write;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.version.Version;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Plans one batch's writes as phases, each a list of planned writes that run together. Pure: what is known of each
 * document comes from {@link Beliefs}, read as each phase is planned, so a phase planned after the one before it ran
 * sees what that one wrote.
 * <ol>
 *   <li>{@link #entities()}: interaction documents (one write per interaction id), evaluation documents, evaluation
 *       data attached to interactions, and the erasure of deleted sessions' interactions and evaluations;</li>
 *   <li>{@link #sessions}: per session its fold, then its interaction and evaluation summaries, one chain of writes on
 *       its revision (the interaction summary needs phase 1's answer: which events created their interaction,
 *       {@link #creators()});</li>
 *   <li>{@link #erasedSummaries}: the summaries of sessions deleted in this batch, after their deletion.</li>
 * </ol>
 * Interactions and evaluations of a session deleted in the same batch, up to its deletion, are erased, not written.
 */
public final class BatchPlanner {

    /** What the writer last knew of a document, whose revision its write expects. */
    @FunctionalInterface
    public interface Beliefs {
        Known of(Target target, String id);
    }

    private static final Comparator<SourcedEvent> BY_POSITION =
            Comparator.comparingInt(SourcedEvent::partition).thenComparingLong(SourcedEvent::offset);

    private final WriteContext ctx;
    private final Beliefs beliefs;
    private final List<SourcedEvent> sessionEvents = new ArrayList<>();
    private final List<SourcedEvent> interactionEvents;
    private final List<SourcedEvent> evaluationEvents;
    /** Per session deleted in the batch, its latest deletion time. */
    private final Map<String, Date> erasedAt = new HashMap<>();
    private final List<Skipped> erased = new ArrayList<>();
    private final Map<String, List<SourcedEvent>> byInteraction;

    /** Takes one batch's events that passed the size screen, of the sessions, interactions and evaluations topics. */
    public BatchPlanner(WriteContext ctx, Beliefs beliefs, List<SourcedEvent> batch) {
        this.ctx = ctx;
        this.beliefs = beliefs;
        List<SourcedEvent> interactions = new ArrayList<>();
        List<SourcedEvent> evaluations = new ArrayList<>();
        for (SourcedEvent event : batch) {
            switch (event.topicRole()) {
                case SESSIONS -> sessionEvents.add(event);
                case INTERACTIONS -> interactions.add(event);
                case EVALUATIONS -> evaluations.add(event);
                case DEAD_LETTER -> throw new IllegalArgumentException("mongo-writer does not consume " + event.topic());
            }
        }
        for (SourcedEvent e : sessionEvents) {
            if (e.event().payload() instanceof SessionDeleted) {
                erasedAt.merge(e.event().sessionId(), Date.from(e.event().occurredAt()), (a, b) -> a.after(b) ? a : b);
            }
        }
        this.interactionEvents = dropErased(interactions);
        this.evaluationEvents = dropErased(evaluations);
        this.byInteraction = groupBy(interactionEvents, e -> e.event().entityId());
    }

    /** The interaction and evaluation events a deletion in the same batch erases: nothing is written for them. */
    public List<Skipped> erased() {
        return erased;
    }

    /** Phase 1: the entity documents, and the erasures. */
    public List<PlannedWrite.Resolution> entities() {
        List<PlannedWrite.Resolution> entities = new ArrayList<>();
        // An evaluation attached in the same bulk as its interaction's document runs after it and expects the
        // revision that write leaves (if it fails, both are re-planned).
        DocumentChain interactionDocuments = new DocumentChain(id -> beliefs.of(Target.INTERACTIONS, id));
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
        return entities;
    }

    /**
     * After phase 1: the interaction events that created their document, the one whose version the document keeps as
     * first.
     */
    public Set<SourcedEvent> creators() {
        Set<SourcedEvent> creators = Collections.newSetFromMap(new IdentityHashMap<>());
        byInteraction.forEach((id, events) -> {
            Version first = beliefs.of(Target.INTERACTIONS, id).interactionsFirst();
            events.stream().filter(e -> e.version().equals(first)).forEach(creators::add);
        });
        return creators;
    }

    /**
     * What phase 2 writes per session, without the events the store rejected in phase 1 (or the size screen before).
     *
     * @param evaluationsCreated the evaluation events whose document holds them (phase 1's answer)
     */
    public SessionWork sessionWork(Set<SourcedEvent> creators, Set<SourcedEvent> evaluationsCreated,
                                   Map<SourcedEvent, Throwable> rejected) {
        Map<String, List<SourcedEvent>> folds = groupBy(without(sessionEvents, rejected), e -> e.event().sessionId());
        Set<String> erasing = new HashSet<>();
        folds.forEach((id, events) -> {
            if (SessionDocumentFold.erases(events)) {
                erasing.add(id);
            }
        });
        return new SessionWork(folds,
                lanes(without(interactionEvents, rejected), e -> LaneEvent.interaction(e, creators.contains(e))),
                lanes(without(evaluationEvents, rejected), e -> LaneEvent.evaluation(e, evaluationsCreated.contains(e))),
                erasing);
    }

    /**
     * Phase 2: each session's fold, then the summaries of the sessions written now that are not being erased. A
     * session's fold and summaries share its revision: each expects what the one before it leaves.
     */
    public List<PlannedWrite.Resolution> sessions(SessionWork work, Set<String> now) {
        DocumentChain sessionDocuments = new DocumentChain(id -> beliefs.of(Target.SESSIONS, id));
        List<PlannedWrite.Resolution> sessions = new ArrayList<>();
        work.folds().forEach((id, events) -> sessions.add(sessionDocuments.plan(id,
                k -> SessionDocumentFold.plan(ctx, id, events, k))));
        sessions.addAll(summaries(ctx, work.interactionLanes(), work.evaluationLanes(),
                id -> now.contains(id) && !work.erasing().contains(id), sessionDocuments));
        return sessions;
    }

    /** Phase 3: the summaries of the sessions deleted in this batch, planned on what their deletion left. */
    public List<PlannedWrite.Resolution> erasedSummaries(SessionWork work) {
        return summaries(ctx, work.interactionLanes(), work.evaluationLanes(), work.erasing()::contains,
                new DocumentChain(id -> beliefs.of(Target.SESSIONS, id)));
    }

    /** The summaries held back for some sessions, by session id: one write per session and lane. */
    public static List<PlannedWrite.Resolution> heldSummaries(WriteContext ctx, Beliefs beliefs,
                                                              List<Map<String, List<LaneEvent>>> held) {
        List<PlannedWrite.Resolution> plans = new ArrayList<>();
        DocumentChain chain = new DocumentChain(id -> beliefs.of(Target.SESSIONS, id));
        for (Map<String, List<LaneEvent>> lanes : held) {
            lanes.forEach((id, events) -> plans.add(chain.plan(id, k -> events.get(0).isEvaluation()
                    ? EvaluationWrites.summary(ctx, id, events, k)
                    : InteractionWrites.summary(ctx, id, events, k))));
        }
        return plans;
    }

    private static List<PlannedWrite.Resolution> summaries(WriteContext ctx, Map<String, List<LaneEvent>> interactionLanes,
                                                           Map<String, List<LaneEvent>> evaluationLanes,
                                                           Predicate<String> which, DocumentChain chain) {
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

    private List<SourcedEvent> dropErased(List<SourcedEvent> events) {
        if (erasedAt.isEmpty()) {
            return events;
        }
        List<SourcedEvent> kept = new ArrayList<>(events.size());
        for (SourcedEvent e : events) {
            Date at = erasedAt.get(e.event().sessionId());
            if (at != null && !Date.from(e.event().occurredAt()).after(at)) {
                erased.add(new Skipped(e, Skipped.Reason.ERASED, Version.NONE));
            } else {
                kept.add(e);
            }
        }
        return kept;
    }

    private static boolean isAbout(SourcedEvent e, EntityType type) {
        return ((EvaluationRecorded) e.event().payload()).entityType() == type;
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
