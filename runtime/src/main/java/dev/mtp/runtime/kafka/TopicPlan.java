package dev.mtp.runtime.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What provisioning must do, decided from the wanted topics and the partition counts of those that exist: create
 * the missing ones, refuse the ones with another partition count. Pure.
 */
record TopicPlan(List<TopicSpec> toCreate, List<String> mismatches) {

    TopicPlan {
        toCreate = List.copyOf(toCreate);
        mismatches = List.copyOf(mismatches);
    }

    static TopicPlan of(List<TopicSpec> wanted, Map<String, Integer> existingPartitions) {
        List<TopicSpec> create = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (TopicSpec spec : wanted) {
            Integer actual = existingPartitions.get(spec.name());
            if (actual == null) {
                create.add(spec);
            } else if (actual != spec.partitions()) {
                mismatches.add(mismatch(spec, actual));
            }
        }
        return new TopicPlan(create, mismatches);
    }

    static String mismatch(TopicSpec spec, int actual) {
        return "topic " + spec.name() + " has " + actual + " partitions, expected " + spec.partitions();
    }

    /** The start-up failure for partition-count mismatches. */
    static String mismatchReason(List<String> mismatches) {
        return String.join("; ", mismatches) + " (app.topics.partitions): records are keyed by session id and the "
                + "persistence topics must be co-partitioned, so a topic's partition count cannot differ; set "
                + "app.topics.partitions to the existing count, or recreate the topic";
    }
}
