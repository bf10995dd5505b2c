package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.runtime.kafka.TopicIncarnations;

import java.util.Objects;

/**
 * The incarnations of the two topics the shadow folds, as consumed now (docs/decisions/0012). A repair supersedes a
 * value of another incarnation only from an entry of these: an entry left from an earlier life of a topic relays what
 * it learned then, and must never take a current value back.
 */
public record ConsumedIncarnations(Incarnation sessions, Incarnation interactions) {

    public ConsumedIncarnations {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(interactions, "interactions");
        if (!sessions.isKnown() || !interactions.isKnown()) {
            throw new IllegalArgumentException("the consumed incarnations are resolved from the cluster, not unknown: "
                    + sessions + ", " + interactions);
        }
    }

    public static ConsumedIncarnations of(PersistenceTopics topics, TopicIncarnations incarnations) {
        return new ConsumedIncarnations(incarnations.of(topics.sessions().name()),
                incarnations.of(topics.interactions().name()));
    }

    /**
     * Whether every version of the entry that an event wrote is of the incarnation consumed now: [sessions,
     * interactions] for a session key, [interactions] for the others. A version no event wrote ({@code -1}) has none.
     */
    public boolean current(ShadowEntry e) {
        VersionVector v = e.desired().versions();
        if (e.kind() == CacheKeys.Kind.SESSION) {
            return current(v.get(0), sessions) && current(v.get(1), interactions);
        }
        return current(v.get(0), interactions);
    }

    private static boolean current(Version v, Incarnation consumed) {
        return v.isNone() || v.incarnation().equals(consumed);
    }
}
