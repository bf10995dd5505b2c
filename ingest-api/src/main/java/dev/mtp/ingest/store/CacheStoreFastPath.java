package dev.mtp.ingest.store;

import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.ingest.application.sync.CacheFastPath;

import java.util.List;

/**
 * The hybrid fast path on cache-store: the same key layout, projections ({@code common.projection}) and
 * version-guarded Lua writes as cache-writer, with the acknowledged offset in the incarnation of the topic it was
 * published to as the version. So the two paths commute: whichever write comes second finds the same or newer
 * versions and changes nothing.
 *
 * <p>The fast path relays what it published: it keeps a value of another incarnation of the topic, or one written
 * before incarnations were recorded ({@link OtherIncarnations#KEEP}, docs/decisions/0012). Its view of the topic's
 * incarnation dates from its start and may be older than the consumers'; cache-writer, which consumes the topic,
 * replaces such a value.
 *
 * <p>Handled, when the strategy caches something: {@code interaction.recorded} (its key and the session's
 * latest-response key, exactly {@link CacheWrite#interaction}) and {@code session.created} (the session key for the
 * state that one event makes, at versions [offset, none]: a cached state with newer interactions is never taken
 * back). Not handled, left to cache-writer: {@code session.updated} (the projection needs the session's whole state,
 * which the stateless ingest does not have), evaluations (never cached), strategy NONE (removals).
 */
public final class CacheStoreFastPath implements CacheFastPath {
    private final CacheStore store;
    private final Incarnation sessions;
    private final Incarnation interactions;

    /**
     * @param sessions     the incarnation of the sessions topic the ingest publishes to, as resolved at start
     * @param interactions the same for the interactions topic
     */
    public CacheStoreFastPath(CacheStore store, Incarnation sessions, Incarnation interactions) {
        this.store = store;
        this.sessions = requireKnown(sessions, "sessions");
        this.interactions = requireKnown(interactions, "interactions");
    }

    private static Incarnation requireKnown(Incarnation incarnation, String topic) {
        if (incarnation == null || !incarnation.isKnown()) {
            throw new IllegalArgumentException("the incarnation of the " + topic + " topic must be resolved, was "
                    + incarnation);
        }
        return incarnation;
    }

    @Override
    public boolean handles(EventEnvelope event) {
        return switch (event.type()) {
            case SESSION_CREATED -> event.sessionStrategy().map(s -> s.caches()).orElse(false);
            case INTERACTION_RECORDED -> event.interactionStrategy().map(s -> s.caches()).orElse(false);
            default -> false;
        };
    }

    @Override
    public Outcome write(EventEnvelope event, int partition, long offset) throws Exception {
        List<CacheWrite> writes = writes(event, version(event, offset), interactions);
        List<WriteResult> results = store.write(writes).get();
        Outcome outcome = Outcome.ALREADY_NEWER;
        for (WriteResult result : results) {
            if (result.failed()) {
                throw result.error() instanceof Exception e ? e : new IllegalStateException(result.error());
            }
            if (result.outcome() == WriteOutcome.WRITTEN) {
                return Outcome.WRITTEN;
            }
            if (result.outcome() == WriteOutcome.OTHER_INCARNATION) {
                outcome = Outcome.OTHER_INCARNATION;
            }
        }
        return outcome;
    }

    /** The event's version: its offset in the incarnation of the topic it was published to. */
    private Version version(EventEnvelope event, long offset) {
        return Version.of(event.type() == EventType.INTERACTION_RECORDED ? interactions : sessions, offset);
    }

    static List<CacheWrite> writes(EventEnvelope event, Version version, Incarnation interactionsTopic) {
        if (event.type() == EventType.INTERACTION_RECORDED) {
            return CacheWrite.interaction(event, version, OtherIncarnations.KEEP);
        }
        SessionState state = SessionFold.apply(SessionState.empty(event.sessionId()), event, version).state();
        CacheWrite write = CacheWrite.session(state, false, OtherIncarnations.KEEP, interactionsTopic);
        return write == null ? List.of() : List.of(write);
    }
}
