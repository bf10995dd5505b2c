package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.testkit.Events;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fold with versions scoped to the incarnation consumed (docs/decisions/0012). */
class ShadowFoldTest {

    static final String S = "session-123";
    static final Instant T0 = Instant.now();
    static final CacheKeys KEYS = new CacheKeys("mtp:");

    final ShadowFold fold = new ShadowFold(KEYS, Codecs.DEFAULT);
    final Map<String, ShadowEntry> store = new HashMap<>();
    final ShadowFold.View view = new ShadowFold.View() {
        @Override
        public ShadowEntry get(String key) {
            return store.get(key);
        }

        @Override
        public List<ShadowEntry> withPrefix(String prefix) {
            return store.values().stream().filter(e -> e.key().startsWith(prefix)).toList();
        }
    };

    ShadowFold.Result apply(EventEnvelope event, Version version) {
        ShadowFold.Result r = fold.apply(view, event, version, 0);
        r.changed().forEach(e -> store.put(e.key(), e));
        return r;
    }

    @Test
    void eventsOfTheIncarnationConsumedSupersedeEntriesOfAnEarlierLifeWhateverTheirOffsets() {
        apply(Events.created(S, "FULL_SESSION", T0), Version.of(TestVersions.EARLIER_SESSIONS, 900));
        apply(Events.interaction(S, "int-1", "FULL_INTERACTION", T0),
                Version.of(TestVersions.EARLIER_INTERACTIONS, 70));

        ShadowFold.Result session = apply(Events.updated(S, null, T0.plusSeconds(1), "waiting"), TestVersions.s(0));
        ShadowFold.Result interaction = apply(Events.interaction(S, "int-1", "FULL_INTERACTION", T0.plusSeconds(2)),
                TestVersions.i(0));

        assertThat(session.decision()).isEqualTo(Decision.APPLY);
        assertThat(session.supersededIncarnation()).isTrue();
        assertThat(interaction.supersededIncarnation()).isTrue();
        assertThat(store.get(KEYS.session(S)).desired().versions())
                .isEqualTo(VersionVector.session(TestVersions.s(0), TestVersions.i(0)));
        assertThat(store.get(KEYS.session(S)).state().status()).isEqualTo("waiting");
        ShadowEntry interactionKey = store.get(KEYS.interaction(S, "int-1"));
        assertThat(interactionKey.version()).isEqualTo(TestVersions.i(0));
        assertThat(interactionKey.desired().versions()).isEqualTo(VersionVector.of(TestVersions.i(0)));
        assertThat(store.get(KEYS.latestResponse(S)).version()).isEqualTo(TestVersions.i(0));
    }

    @Test
    void withinTheIncarnationConsumedOffsetsDecideAndNothingIsCountedAsSuperseding() {
        ShadowFold.Result first = apply(Events.created(S, "FULL_SESSION", T0), TestVersions.s(4));
        ShadowFold.Result again = apply(Events.created(S, "FULL_SESSION", T0), TestVersions.s(4));
        ShadowFold.Result older = apply(Events.updated(S, null, T0, "waiting"), TestVersions.s(3));

        assertThat(first.supersededIncarnation()).isFalse();
        assertThat(again.decision()).isEqualTo(Decision.DUPLICATE);
        assertThat(older.decision()).isEqualTo(Decision.STALE);
        assertThat(again.changed()).isEmpty();
        assertThat(older.changed()).isEmpty();
        assertThat(store.get(KEYS.session(S)).state().status()).isEqualTo("active");
    }

    @Test
    void aDeletionKeepsTheVersionsOfTheInteractionKeysItRemoves() {
        Version earlier = Version.of(TestVersions.EARLIER_INTERACTIONS, 70);
        apply(Events.created(S, "FULL_SESSION", T0), TestVersions.s(0));
        apply(Events.interaction(S, "int-1", "FULL_INTERACTION", T0), earlier);

        apply(Events.deleted(S, T0.plusSeconds(1)), TestVersions.s(1));

        ShadowEntry removed = store.get(KEYS.interaction(S, "int-1"));
        assertThat(removed.desired().presence()).isEqualTo(Desired.Presence.DELETED);
        assertThat(removed.desired().versions()).isEqualTo(VersionVector.of(earlier));
    }
}
