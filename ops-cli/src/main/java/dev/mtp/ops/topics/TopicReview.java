package dev.mtp.ops.topics;

import dev.mtp.runtime.kafka.TopicSpec;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code topics create} finds for each wanted topic, from the partition counts and retentions of the topics
 * that exist: create it, fine, its retention differs (settable), or its partition count differs (not fixable in
 * place). Pure.
 */
public record TopicReview(TopicSpec wanted, Integer partitions, String retentionMs, Action action) {

    public enum Action {
        CREATE("create"),
        OK("ok"),
        SET_RETENTION("retention differs"),
        PARTITIONS_DIFFER("partition count differs");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param partitions existing topics' partition counts (missing topics absent)
     * @param retention  existing topics' {@code retention.ms} (missing topics absent)
     */
    public static List<TopicReview> of(List<TopicSpec> wanted, Map<String, Integer> partitions,
                                       Map<String, String> retention) {
        return wanted.stream().map(spec -> {
            Integer actual = partitions.get(spec.name());
            String actualRetention = retention.get(spec.name());
            Action action;
            if (actual == null) {
                action = Action.CREATE;
            } else if (actual != spec.partitions()) {
                action = Action.PARTITIONS_DIFFER;
            } else if (!sameRetention(wantedRetention(spec), actualRetention)) {
                action = Action.SET_RETENTION;
            } else {
                action = Action.OK;
            }
            return new TopicReview(spec, actual, actualRetention, action);
        }).toList();
    }

    public static String wantedRetention(TopicSpec spec) {
        return spec.configs().get(TopicConfig.RETENTION_MS_CONFIG);
    }

    /** Any negative retention.ms means forever to Kafka. */
    static boolean sameRetention(String wanted, String actual) {
        if (wanted == null) {
            return true;
        }
        if (actual == null) {
            return false;
        }
        long w = Long.parseLong(wanted);
        long a = Long.parseLong(actual);
        return w == a || (w < 0 && a < 0);
    }

    /** "7d", "90d", "36h", "forever": retention.ms for a reader. */
    public static String readable(String retentionMs) {
        if (retentionMs == null) {
            return "-";
        }
        long ms = Long.parseLong(retentionMs);
        if (ms < 0) {
            return "forever";
        }
        Duration d = Duration.ofMillis(ms);
        if (d.toMillis() % Duration.ofDays(1).toMillis() == 0) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % Duration.ofHours(1).toMillis() == 0) {
            return d.toHours() + "h";
        }
        return ms + "ms";
    }
}
