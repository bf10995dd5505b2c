package dev.mtp.mongowriter.write;

import dev.mtp.common.topic.TopicRole;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * One document's events of a topic in a batch, split at the version the writer believes the document holds for that
 * topic (docs/decisions/0001): the newer ones are written, the others are applied already (a redelivery, a replay)
 * and only acknowledged.
 *
 * @param newer   events with an offset above the known version, in batch order
 * @param applied events at or below it
 */
record VersionSplit(List<SourcedEvent> newer, List<SourcedEvent> applied) {

    static VersionSplit of(List<SourcedEvent> events, Known known, TopicRole topic) {
        long version = known.version(topic);
        List<SourcedEvent> newer = new ArrayList<>(events.size());
        List<SourcedEvent> applied = new ArrayList<>();
        for (SourcedEvent e : events) {
            (e.offset() > version ? newer : applied).add(e);
        }
        return new VersionSplit(newer, applied);
    }
}
