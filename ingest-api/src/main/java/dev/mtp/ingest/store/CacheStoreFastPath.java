package dev.mtp.ingest.store;

import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.ingest.application.sync.CacheFastPath;

import java.util.List;

/**
 * The hybrid fast path on cache-store: the same key layout, projections ({@code common.projection}) and
 * version-guarded Lua writes as cache-writer, with the acknowledged offset as the version. So the two paths commute:
 * whichever write comes second finds the same or newer versions and changes nothing.
 *
 * <p>Handled, when the strategy caches something: {@code interaction.recorded} (its key and the session's
 * latest-response key, exactly {@link CacheWrite#interaction}) and {@code session.created} (the session key for the
 * state that one event makes, at versions [offset, none]: a cached state with newer interactions is never taken
 * back). Not handled, left to cache-writer: {@code session.updated} (the projection needs the session's whole state,
 * which the stateless ingest does not have), evaluations (never cached), strategy NONE (removals).
 */
public final class CacheStoreFastPath implements CacheFastPath {
    private final CacheStore store;

    public CacheStoreFastPath(CacheStore store) {
        this.store = store;
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
    public boolean write(EventEnvelope event, int partition, long offset) throws Exception {
        List<CacheWrite> writes = writes(event, offset);
        List<WriteResult> results = store.write(writes).get();
        boolean applied = false;
        for (WriteResult result : results) {
            if (result.failed()) {
                throw result.error() instanceof Exception e ? e : new IllegalStateException(result.error());
            }
            applied |= result.outcome() == WriteOutcome.WRITTEN;
        }
        return applied;
    }

    static List<CacheWrite> writes(EventEnvelope event, long offset) {
        if (event.type() == EventType.INTERACTION_RECORDED) {
            return CacheWrite.interaction(event, offset);
        }
        SessionState state = SessionFold.apply(SessionState.empty(event.sessionId()), event, offset).state();
        CacheWrite write = CacheWrite.session(state, false);
        return write == null ? List.of() : List.of(write);
    }
}
