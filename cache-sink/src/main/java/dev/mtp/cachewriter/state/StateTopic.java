package dev.mtp.cachewriter.state;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.runtime.kafka.TopicProvisioner;
import dev.mtp.runtime.kafka.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The state topic {@code <prefix>cache-writer.session-state.v1}: compacted (the latest state per session is all that
 * is needed), keyed by session id, with the partition count of the event topics so that its partition {@code p}
 * belongs to whoever owns partition {@code p} of the events.
 */
public final class StateTopic {

    public static final String BASE_NAME = "cache-writer.session-state.v1";

    private StateTopic() {}

    public static String name(Config config) {
        return config.get(CommonConfigKeys.TOPICS_PREFIX) + BASE_NAME;
    }

    /**
     * Creates the topic when missing and {@code app.topics.create} allows, then checks its partition count and waits
     * until every partition answers (as for the event topics).
     */
    public static String ensure(Admin admin, Config config, Duration timeout) throws InterruptedException {
        String name = name(config);
        TopicSpec spec = TopicSpec.of(name, config);
        if (config.get(CommonConfigKeys.TOPICS_CREATE)) {
            NewTopic topic = new NewTopic(name, spec.partitions(), spec.replicationFactor()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    // A state is small; keep compaction eager enough that a restore reads little more than one
                    // record per session.
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
                    TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())));
            try {
                admin.createTopics(List.of(topic), new CreateTopicsOptions().timeoutMs((int) timeout.toMillis()))
                        .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create state topic " + name + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("creating state topic " + name + " timed out", e);
            }
        }
        // Refuses another partition count, and waits out KAFKA-15591 before the first idempotent produce. A topic
        // just created may not show in metadata yet: the provisioner's own create then finds it exists, which is fine.
        new TopicProvisioner(admin).ensure(List.of(spec), config.get(CommonConfigKeys.TOPICS_CREATE), timeout);
        return name;
    }
}
