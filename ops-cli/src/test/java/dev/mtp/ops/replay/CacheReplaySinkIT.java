package dev.mtp.ops.replay;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachewriter.state.SessionStateCodec;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.runtime.consume.SourcedEvent;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** cache-writer's replay sink against a real Redis, where the live side moved on after the sink read its states. */
@RealServers
class CacheReplaySinkIT {

    private static final String S = "s-1";
    private static final Incarnation INCARNATION = new Incarnation("AbCdEfGh");

    @Test
    void aSessionDeletedAfterTheStatesWereReadGetsNoKeyBack(TestNamespace ns) throws Exception {
        CacheStoreSettings settings = CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix());
        CacheKeys keys = settings.keys();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SourcedEvent created = sourced(Events.created(S, "WITH_CONTEXT", t0), TopicRole.SESSIONS, 0);
        SourcedEvent recorded = sourced(Events.interaction(S, "i-1", "RESPONSE_ONLY", t0.plusSeconds(1)),
                TopicRole.INTERACTIONS, 0);
        SessionState live = fold(fold(SessionState.empty(S), created), recorded);
        SessionState deleted = fold(live, sourced(Events.deleted(S, t0.plusSeconds(2)), TopicRole.SESSIONS, 1));
        try (RedisCacheStore store = RedisCacheStore.open(settings, Clock.systemUTC())) {
            // The live cache-writer applied the deletion after the replay had read its states (the session live).
            store.write(List.of(CacheWrite.session(deleted, true, OtherIncarnations.SUPERSEDE, INCARNATION))).get();
            CacheReplaySink sink = new CacheReplaySink(store, keys, Map.of(S, SessionStateCodec.encode(live)),
                    INCARNATION);

            Map<Outcome, Long> outcomes = sink.write(List.of(recorded));

            assertThat(ns.redis().sync().exists(keys.interaction(S, "i-1"), keys.latestResponse(S))).isZero();
            assertThat(store.inspect(keys.session(S)).get().isTombstone()).isTrue();
            assertThat(outcomes).containsEntry(Outcome.STALE, 1L).doesNotContainKey(Outcome.APPLIED);
        }
    }

    private static SessionState fold(SessionState state, SourcedEvent e) {
        return SessionFold.apply(state, e.event(), e.version()).state();
    }

    private static SourcedEvent sourced(EventEnvelope event, TopicRole role, long offset) {
        return new SourcedEvent(event, role, "t." + role.baseName(), 0, offset, INCARNATION);
    }
}
