package dev.mtp.mongowriter.write;

import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * One document's events of a topic in a batch, split by the version the writer believes the document holds for that
 * topic (docs/decisions/0001, 0012): the events that apply are written, the others are duplicates (a redelivery) or
 * stale (a replay) and only acknowledged. mongo-writer consumes the incarnation it writes, so its events supersede
 * fields another incarnation of the topic wrote, whatever their offsets.
 *
 * @param newer   events that apply, in batch order
 * @param skipped the others, with why
 */
record VersionSplit(List<SourcedEvent> newer, List<Skipped> skipped) {

    static VersionSplit of(List<SourcedEvent> events, Version stored) {
        List<SourcedEvent> newer = new ArrayList<>(events.size());
        List<Skipped> skipped = new ArrayList<>();
        for (SourcedEvent e : events) {
            Decision decision = VersionRule.decide(e.version(), stored, OtherIncarnations.SUPERSEDE);
            if (decision == Decision.APPLY) {
                newer.add(e);
            } else {
                skipped.add(Skipped.of(e, decision, stored));
            }
        }
        return new VersionSplit(newer, skipped);
    }
}
