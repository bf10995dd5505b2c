package dev.mtp.ingest.application.read;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.OtherIncarnations;

import java.util.Map;

/**
 * Whether what a store holds is at or past a version a client has seen (docs/decisions/0022), component by component
 * with the writers' rule ({@link VersionRule}): held state is behind when the wanted version would apply over it.
 * A component of another incarnation is not comparable and does not hold a read back: after a topic is recreated, a
 * client's old token must not block reads for good. A wanted component the store does not carry proves nothing, so
 * the store is not known to be fresh enough; a wanted component that is none (a tombstone of a session with no
 * interaction yet) asks for nothing.
 */
public final class VersionOrder {
    private VersionOrder() {}

    public static boolean atOrPast(EntityVersion held, EntityVersion wanted) {
        for (Map.Entry<TopicRole, Version> want : wanted.components().entrySet()) {
            if (want.getValue().isNone()) {
                continue; // nothing of that topic was written: nothing to wait for
            }
            Version have = held.get(want.getKey());
            if (have == null) {
                return false;
            }
            boolean comparable = have.incarnation().equals(want.getValue().incarnation());
            if (comparable && VersionRule.decide(want.getValue(), have, OtherIncarnations.KEEP)
                    == VersionRule.Decision.APPLY) {
                return false;
            }
        }
        return true;
    }
}
