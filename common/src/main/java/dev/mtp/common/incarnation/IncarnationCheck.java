package dev.mtp.common.incarnation;

import dev.mtp.common.version.Incarnation;

import java.util.Optional;

/**
 * What an app does about one topic's incarnation in one store (docs/decisions/0012). Pure: the watch reads the
 * cluster and the registry and carries the verdict out.
 */
public final class IncarnationCheck {
    private IncarnationCheck() {}

    public sealed interface Verdict {}

    /** The registry names this app's incarnation: nothing to do. */
    public record Keep() implements Verdict {}

    /** Write this app's registration; {@code replaced} is the one it takes over from, if any (logged as a switch). */
    public record Register(Optional<Registration> replaced) implements Verdict {}

    /** The app must stop: it would write versions of an incarnation that no longer feeds the store. */
    public record Stop(String reason) implements Verdict {}

    /** At start the app's incarnation takes the store over: the topic being consumed is the truth now. */
    public static Verdict atStart(Registration own, Optional<Registration> registered) {
        if (registered.isPresent() && registered.get().incarnation().equals(own.incarnation())) {
            return new Keep();
        }
        return new Register(registered);
    }

    /**
     * While running: the topic must still be the one the app resolved at start, and the store must still be fed
     * from it. A registry that lost the entry (Redis flushed) is written again.
     */
    public static Verdict whileRunning(String topic, String store, Registration own, Incarnation resolvedNow,
                                       Optional<Registration> registered) {
        if (!resolvedNow.equals(own.incarnation())) {
            return new Stop("topic " + topic + " was recreated while this app consumed it (incarnation "
                    + own.incarnation() + ", now " + resolvedNow + "); the consumer may have skipped or re-read "
                    + "records of the new topic by offset: restart the app to consume the new topic from its "
                    + "committed position");
        }
        if (registered.isEmpty()) {
            return new Register(Optional.empty());
        }
        if (!registered.get().incarnation().equals(own.incarnation())) {
            return new Stop(store + " is now fed from " + topic + " " + registered.get().describe()
                    + ", and this app consumes " + own.incarnation() + " of cluster " + own.clusterId()
                    + ": two Kafka clusters or topic incarnations writing the same stores is not supported; "
                    + "stop the apps of one of them");
        }
        return new Keep();
    }
}
