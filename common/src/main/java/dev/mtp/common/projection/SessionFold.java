package dev.mtp.common.projection;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionClosed;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionDeleted;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.projection.SessionState.Lifecycle;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.common.version.VersionRule.Decision;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies one event, at its version, to a session's state. Pure. An event changes only the fields its topic owns, and
 * only when its version supersedes the state's version for that topic (docs/decisions/0001, 0012): a greater offset in
 * the same incarnation, or any offset of the consumed incarnation over fields from another one. A duplicate or stale
 * event returns the state unchanged, so a replay of any range, in any batching, leaves the same state.
 *
 * <p>The rules, per event type:
 * <ul>
 *   <li>{@code session.created}: sets every session field (a full record) and the strategy; a session that is
 *       already live keeps its {@code createdAt}. A deleted session is created anew, with an empty
 *       interaction summary.</li>
 *   <li>{@code session.updated}: the partial update is merged: absent fields are unchanged, {@code context} and
 *       {@code metadata} are merged key by key and a key mapped to null is removed, an absent strategy is
 *       unchanged. On a session that is not live it only advances the version: an update recreates nothing.</li>
 *   <li>{@code session.closed}: status {@code closed}, {@code closedAt}; strategy and TTL are kept.</li>
 *   <li>{@code session.deleted}: everything but the versions is dropped and the session is {@code DELETED};
 *       its interaction summary starts again from zero if it is created again.</li>
 *   <li>{@code interaction.recorded}: adds the interaction id to the distinct set (the count) and makes it the last
 *       interaction, with {@code lastActivityAt} its recording time. Ignored (version advanced only) while the
 *       session is deleted: the deletion erased the session's interactions.</li>
 *   <li>{@code evaluation.recorded} is refused: evaluations are stored in MongoDB only.</li>
 * </ul>
 * Cross-topic order is not defined by Kafka: an interaction and a session event of the same session can be seen in
 * either order. The only rule that depends on it is "ignored while deleted".
 *
 * <p>MongoDB's session document is folded from the same events by mongo-sink's {@code SessionDocumentFold}, which
 * also keeps a session only updated (partial) and takes each created's time as {@code createdAt}.
 */
public final class SessionFold {

    private SessionFold() {}

    /** The outcome of one event: the new state and whether the event applied. */
    public record Folded(SessionState state, Decision decision) {
        public boolean applied() {
            return decision == Decision.APPLY;
        }
    }

    /**
     * @param state  the session's state so far ({@link SessionState#empty} for none)
     * @param event  an event of this session
     * @param version the event's offset in the incarnation of its topic being consumed
     */
    public static Folded apply(SessionState state, EventEnvelope event, Version version) {
        if (!state.sessionId().equals(event.sessionId())) {
            throw new IllegalArgumentException("event of session " + event.sessionId() + " applied to "
                    + state.sessionId());
        }
        TopicRole topic = event.type().topic();
        return switch (topic) {
            case SESSIONS -> {
                Decision d = VersionRule.decide(version, state.sessionVersion(), OtherIncarnations.SUPERSEDE);
                yield d == Decision.APPLY ? new Folded(sessionEvent(state, event, version), d) : new Folded(state, d);
            }
            case INTERACTIONS -> {
                Decision d = VersionRule.decide(version, state.interactionsVersion(), OtherIncarnations.SUPERSEDE);
                yield d == Decision.APPLY ? new Folded(interaction(state, event, version), d) : new Folded(state, d);
            }
            case EVALUATIONS, DEAD_LETTER -> throw new IllegalArgumentException(
                    event.type().wireName() + " is not folded into a session's cached state");
        };
    }

    private static SessionState sessionEvent(SessionState s, EventEnvelope e, Version version) {
        return switch (e.payload()) {
            case SessionCreated c -> {
                boolean keepsHistory = s.lifecycle() == Lifecycle.LIVE;
                yield new SessionState(s.sessionId(), version, s.interactionsVersion(), Lifecycle.LIVE,
                        c.userId(), c.status(), c.context(), c.metadata(),
                        e.sessionStrategy().orElseThrow(),
                        keepsHistory ? s.createdAt() : e.occurredAt(), e.occurredAt(), null,
                        s.interactionIds(), s.lastInteractionId(), s.lastActivityAt());
            }
            case SessionUpdated u -> {
                if (!s.isLive()) {
                    yield withSessionVersion(s, version);
                }
                SessionCacheStrategy strategy = e.sessionStrategy().orElse(s.strategy());
                yield new SessionState(s.sessionId(), version, s.interactionsVersion(), Lifecycle.LIVE,
                        u.userId() != null ? u.userId() : s.userId(),
                        u.status() != null ? u.status() : s.status(),
                        merge(s.context(), u.context()), merge(s.metadata(), u.metadata()),
                        strategy, s.createdAt(), e.occurredAt(), s.closedAt(),
                        s.interactionIds(), s.lastInteractionId(), s.lastActivityAt());
            }
            case SessionClosed ignored -> {
                if (!s.isLive()) {
                    yield withSessionVersion(s, version);
                }
                yield new SessionState(s.sessionId(), version, s.interactionsVersion(), Lifecycle.LIVE,
                        s.userId(), SessionClosed.CLOSED_STATUS, s.context(), s.metadata(), s.strategy(),
                        s.createdAt(), e.occurredAt(), e.occurredAt(),
                        s.interactionIds(), s.lastInteractionId(), s.lastActivityAt());
            }
            case SessionDeleted ignored -> new SessionState(s.sessionId(), version, s.interactionsVersion(),
                    Lifecycle.DELETED, null, null, Map.of(), Map.of(), null, null, e.occurredAt(), null,
                    InteractionIdSet.EMPTY, null, null);
            case InteractionRecorded ignored -> throw new IllegalStateException("not a session event");
            case EvaluationRecorded ignored -> throw new IllegalStateException("not a session event");
        };
    }

    private static SessionState interaction(SessionState s, EventEnvelope e, Version version) {
        if (s.lifecycle() == Lifecycle.DELETED) {
            return new SessionState(s.sessionId(), s.sessionVersion(), version, s.lifecycle(), s.userId(), s.status(),
                    s.context(), s.metadata(), s.strategy(), s.createdAt(), s.updatedAt(), s.closedAt(),
                    s.interactionIds(), s.lastInteractionId(), s.lastActivityAt());
        }
        return new SessionState(s.sessionId(), s.sessionVersion(), version, s.lifecycle(), s.userId(), s.status(),
                s.context(), s.metadata(), s.strategy(), s.createdAt(), s.updatedAt(), s.closedAt(),
                s.interactionIds().with(e.entityId()), e.entityId(), e.occurredAt());
    }

    private static SessionState withSessionVersion(SessionState s, Version version) {
        return new SessionState(s.sessionId(), version, s.interactionsVersion(), s.lifecycle(), s.userId(), s.status(),
                s.context(), s.metadata(), s.strategy(), s.createdAt(), s.updatedAt(), s.closedAt(),
                s.interactionIds(), s.lastInteractionId(), s.lastActivityAt());
    }

    /** Top-level merge: keys of {@code patch} replace those of {@code base}; a null value removes the key. */
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> patch) {
        if (patch == null) {
            return base;
        }
        Map<String, Object> merged = new LinkedHashMap<>(base);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
