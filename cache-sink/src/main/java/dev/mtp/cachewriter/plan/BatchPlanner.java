package dev.mtp.cachewriter.plan;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one poll's events into cache writes. Pure: the states come from {@link StateLookup}, nothing is changed.
 *
 * <p>Per session of the batch, its events are folded into its state ({@link SessionFold}): the sessions topic's
 * events first, then the interactions topic's, each in offset order (Kafka does not order the two topics against each
 * other; this makes a batch's result not depend on how the poll interleaved them). Then the session's writes are,
 * only for events that applied (duplicates and stale events write nothing):
 * <ol>
 *   <li>if a {@code session.deleted} applied and the session was created again within the batch, the purge of the
 *       deleted incarnation (its interactions and latest response must not outlive it);</li>
 *   <li>the session key for the final state: its projection, a purge (deleted), or a removal (NONE, or TTL passed),
 *       leaving a tombstone when some state of this batch or before it was cached; for a session whose record this
 *       cache-writer does not have (only updates seen), a removal of any older copy;</li>
 *   <li>per interaction id, the key for its last applied event (a re-recorded interaction replaces the earlier
 *       record);</li>
 *   <li>the latest-response key for the applied interaction with the highest offset.</li>
 * </ol>
 * A batch thus writes each key at most once: a session with 100 interactions in a poll costs one session write, one
 * latest write and 100 interaction writes.
 *
 * <p>Events are folded and written at their {@linkplain SourcedEvent#version() version}, an offset in the incarnation
 * of the topic being consumed; every write supersedes state of another incarnation
 * ({@link OtherIncarnations#SUPERSEDE}, docs/decisions/0012): cache-writer consumes the topic, whose events are the
 * truth now.
 */
public final class BatchPlanner {

    /** Where the planner finds a session's state before the batch. */
    @FunctionalInterface
    public interface StateLookup {
        /** The state, or null for a session never seen. */
        SessionState get(int partition, String sessionId);
    }

    private BatchPlanner() {}

    /**
     * @param interactionsConsumed the incarnation of the interactions topic being consumed: a session with no
     *                             interaction yet has none in it ({@link CacheWrite#session})
     */
    public static BatchPlan plan(List<SourcedEvent> batch, StateLookup lookup, Incarnation interactionsConsumed) {
        Map<String, List<SourcedEvent>> bySession = new LinkedHashMap<>();
        for (SourcedEvent e : batch) {
            if (e.topicRole() == TopicRole.SESSIONS || e.topicRole() == TopicRole.INTERACTIONS) {
                bySession.computeIfAbsent(e.event().sessionId(), k -> new ArrayList<>()).add(e);
            }
        }
        List<CacheWrite> writes = new ArrayList<>();
        List<List<SourcedEvent>> sources = new ArrayList<>();
        Map<String, SessionState> changed = new LinkedHashMap<>();
        Map<String, Integer> partitionOf = new LinkedHashMap<>();
        Map<TopicRole, Map<Decision, Integer>> decisions = new EnumMap<>(TopicRole.class);

        for (Map.Entry<String, List<SourcedEvent>> entry : bySession.entrySet()) {
            String sessionId = entry.getKey();
            List<SourcedEvent> events = entry.getValue();
            int partition = events.get(0).partition();
            partitionOf.put(sessionId, partition);
            SessionState before = lookup.get(partition, sessionId);
            if (before == null) {
                before = SessionState.empty(sessionId);
            }
            SessionState state = before;
            boolean cachedSomewhere = caches(before);
            VersionVector purgeAt = null;
            List<SourcedEvent> applied = new ArrayList<>();
            Map<String, SourcedEvent> lastPerInteraction = new LinkedHashMap<>();
            SourcedEvent latest = null;

            for (TopicRole topic : List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS)) {
                for (SourcedEvent e : events) {
                    if (e.topicRole() != topic) {
                        continue;
                    }
                    SessionState.Lifecycle lifecycleBefore = state.lifecycle();
                    SessionFold.Folded folded = SessionFold.apply(state, e.event(), e.version());
                    decisions.computeIfAbsent(topic, t -> new EnumMap<>(Decision.class))
                            .merge(folded.decision(), 1, Integer::sum);
                    if (!folded.applied()) {
                        continue;
                    }
                    state = folded.state();
                    applied.add(e);
                    cachedSomewhere |= caches(state);
                    if (state.lifecycle() == SessionState.Lifecycle.DELETED
                            && lifecycleBefore != SessionState.Lifecycle.DELETED && topic == TopicRole.SESSIONS) {
                        purgeAt = CacheWrite.sessionVersions(state, interactionsConsumed);
                    }
                    if (topic == TopicRole.INTERACTIONS && lifecycleBefore != SessionState.Lifecycle.DELETED) {
                        lastPerInteraction.remove(e.event().entityId());
                        lastPerInteraction.put(e.event().entityId(), e);
                        latest = e;
                    }
                }
            }
            if (applied.isEmpty()) {
                continue;
            }
            changed.put(sessionId, state);
            if (purgeAt != null && state.lifecycle() != SessionState.Lifecycle.DELETED) {
                writes.add(new CacheWrite.PurgeSession(sessionId, purgeAt, OtherIncarnations.SUPERSEDE));
                sources.add(applied);
            }
            CacheWrite sessionWrite = CacheWrite.session(state, cachedSomewhere, OtherIncarnations.SUPERSEDE,
                    interactionsConsumed);
            if (sessionWrite == null && !state.sessionVersion().isNone()) {
                // An update of a session without its full record (evicted, or its create is in another cluster's
                // topics) cannot be projected; an older cached copy of it must not be read as current.
                sessionWrite = new CacheWrite.RemoveSession(sessionId,
                        CacheWrite.sessionVersions(state, interactionsConsumed), false, OtherIncarnations.SUPERSEDE);
            }
            if (sessionWrite != null) {
                writes.add(sessionWrite);
                sources.add(applied);
            }
            if (state.lifecycle() == SessionState.Lifecycle.DELETED) {
                continue;
            }
            for (SourcedEvent e : lastPerInteraction.values()) {
                writes.add(CacheWrite.interactionKey(e.event(), e.version(), OtherIncarnations.SUPERSEDE));
                sources.add(List.of(e));
            }
            if (latest != null) {
                writes.add(CacheWrite.latestResponse(latest.event(), latest.version(), OtherIncarnations.SUPERSEDE));
                sources.add(List.of(latest));
            }
        }
        return new BatchPlan(writes, sources, changed, partitionOf, decisions);
    }

    private static boolean caches(SessionState s) {
        return s.isLive() && s.strategy().caches();
    }
}
