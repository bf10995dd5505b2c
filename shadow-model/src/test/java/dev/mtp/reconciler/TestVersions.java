package dev.mtp.reconciler;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.reconciler.check.ConsumedIncarnations;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;

import java.util.Map;

/** Incarnations of the two folded topics in unit tests: the ones consumed now, and an earlier life of each. */
public final class TestVersions {

    public static final Incarnation SESSIONS = new Incarnation("SessNow0");
    public static final Incarnation INTERACTIONS = new Incarnation("InterNow");
    public static final Incarnation EARLIER_SESSIONS = new Incarnation("SessOld0");
    public static final Incarnation EARLIER_INTERACTIONS = new Incarnation("InterOld");
    public static final ConsumedIncarnations CONSUMED = new ConsumedIncarnations(SESSIONS, INTERACTIONS);

    private TestVersions() {}

    /** An offset of the sessions topic consumed now. */
    public static Version s(long offset) {
        return Version.of(SESSIONS, offset);
    }

    /** An offset of the interactions topic consumed now. */
    public static Version i(long offset) {
        return Version.of(INTERACTIONS, offset);
    }

    /** The version of an event at {@code offset} of its topic, consumed now. */
    public static Version of(EventEnvelope event, long offset) {
        return switch (event.type().topic()) {
            case SESSIONS -> s(offset);
            case INTERACTIONS -> i(offset);
            default -> throw new IllegalArgumentException(event.type() + " is not folded");
        };
    }

    /** The topics with the incarnations consumed now, as the app resolves them at start. */
    public static ProvisionedTopics provisioned(PersistenceTopics topics) {
        return new ProvisionedTopics(topics, new TopicIncarnations(Map.of(topics.sessions().name(), SESSIONS,
                topics.interactions().name(), INTERACTIONS)));
    }
}
