package dev.mtp.runtime.kafka;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provisioner's decisions against a scripted admin; the real-broker test lives with the embedded broker. */
class TopicProvisionerTest {

    static final TopicSpec SESSIONS = new TopicSpec("mtp.sessions", 3, (short) 1);
    static final TopicSpec INTERACTIONS = new TopicSpec("mtp.interactions", 3, (short) 1);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A broker in a map: topics and partition counts, plus partitions that fail listOffsets a number of times. */
    static final class ScriptedAdmin implements TopicAdmin {
        final Map<String, Integer> topics = new ConcurrentHashMap<>();
        final Map<TopicPartition, Integer> offsetFailuresLeft = new ConcurrentHashMap<>();
        final Map<String, Throwable> createFailures = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        RuntimeException describeFailure;
        /** Topics "created by another instance" right before our create call. */
        final Map<String, Integer> racingCreates = new HashMap<>();

        @Override
        public Map<String, Integer> partitionCounts(Collection<String> names, Duration timeout) {
            calls.add("describe " + names);
            if (describeFailure != null) {
                throw describeFailure;
            }
            Map<String, Integer> out = new HashMap<>();
            names.forEach(n -> {
                if (topics.containsKey(n)) {
                    out.put(n, topics.get(n));
                }
            });
            return out;
        }

        @Override
        public Map<String, Throwable> create(Collection<TopicSpec> specs, Duration timeout) {
            calls.add("create " + specs.stream().map(TopicSpec::name).toList());
            topics.putAll(racingCreates);
            Map<String, Throwable> failures = new HashMap<>();
            for (TopicSpec s : specs) {
                if (createFailures.containsKey(s.name())) {
                    failures.put(s.name(), createFailures.get(s.name()));
                } else if (topics.containsKey(s.name())) {
                    failures.put(s.name(), new TopicExistsException("Topic '" + s.name() + "' already exists."));
                } else {
                    topics.put(s.name(), s.partitions());
                }
            }
            return failures;
        }

        @Override
        public Map<TopicPartition, Throwable> latestOffsets(Collection<TopicPartition> partitions, Duration timeout) {
            calls.add("listOffsets " + partitions.size());
            Map<TopicPartition, Throwable> failures = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (!topics.containsKey(tp.topic())) {
                    failures.put(tp, new UnknownTopicOrPartitionException("unknown " + tp));
                    continue;
                }
                int left = offsetFailuresLeft.getOrDefault(tp, 0);
                if (left > 0) {
                    offsetFailuresLeft.put(tp, left - 1);
                    failures.put(tp, new NotLeaderOrFollowerException("not the leader of " + tp));
                }
            }
            return failures;
        }
    }

    final ScriptedAdmin admin = new ScriptedAdmin();
    final TopicProvisioner provisioner = new TopicProvisioner(admin);

    @Test
    void creates_missing_topics_and_leaves_existing_ones() throws Exception {
        admin.topics.put("mtp.sessions", 3);
        provisioner.ensure(List.of(SESSIONS, INTERACTIONS), true, TIMEOUT);
        assertThat(admin.topics).containsEntry("mtp.interactions", 3);
        assertThat(admin.calls).containsExactly(
                "describe [mtp.sessions, mtp.interactions]", "create [mtp.interactions]", "listOffsets 6");
    }

    @Test
    void nothing_to_create_still_checks_every_partition_answers() throws Exception {
        admin.topics.put("mtp.sessions", 3);
        provisioner.ensure(List.of(SESSIONS), true, TIMEOUT);
        assertThat(admin.calls).containsExactly("describe [mtp.sessions]", "listOffsets 3");
    }

    @Test
    void waits_until_every_partition_answers_list_offsets_the_kafka_15591_guard() throws Exception {
        admin.offsetFailuresLeft.put(new TopicPartition("mtp.sessions", 2), 3);
        admin.offsetFailuresLeft.put(new TopicPartition("mtp.interactions", 0), 1);
        provisioner.ensure(List.of(SESSIONS, INTERACTIONS), true, TIMEOUT);
        // first round asks all 6; then only the partitions still failing
        assertThat(admin.calls).containsExactly("describe [mtp.sessions, mtp.interactions]",
                "create [mtp.sessions, mtp.interactions]",
                "listOffsets 6", "listOffsets 2", "listOffsets 1", "listOffsets 1");
    }

    @Test
    void gives_up_after_the_timeout_naming_the_partitions_that_did_not_answer() {
        admin.offsetFailuresLeft.put(new TopicPartition("mtp.sessions", 1), Integer.MAX_VALUE);
        assertThatThrownBy(() -> provisioner.ensure(List.of(SESSIONS), true, Duration.ofMillis(300)))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessage("topics not ready within 300 ms: 1 of 3 partitions did not answer listOffsets: "
                        + "mtp.sessions-1 (NotLeaderOrFollowerException: not the leader of mtp.sessions-1)");
    }

    @Test
    void a_partition_count_mismatch_is_a_clear_error_and_nothing_is_created() {
        admin.topics.put("mtp.sessions", 12);
        assertThatThrownBy(() -> provisioner.ensure(List.of(SESSIONS, INTERACTIONS), true, TIMEOUT))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageStartingWith("topic mtp.sessions has 12 partitions, expected 3 (app.topics.partitions): "
                        + "records are keyed by session id");
        assertThat(admin.calls).containsExactly("describe [mtp.sessions, mtp.interactions]");
    }

    @Test
    void topic_created_meanwhile_by_another_instance_is_fine_if_its_partition_count_matches() throws Exception {
        admin.racingCreates.put("mtp.sessions", 3);
        provisioner.ensure(List.of(SESSIONS), true, TIMEOUT);
        assertThat(admin.calls).containsExactly("describe [mtp.sessions]", "create [mtp.sessions]",
                "describe [mtp.sessions]", "listOffsets 3");
    }

    @Test
    void topic_created_meanwhile_with_another_partition_count_is_refused() {
        admin.racingCreates.put("mtp.sessions", 1);
        assertThatThrownBy(() -> provisioner.ensure(List.of(SESSIONS), true, TIMEOUT))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageStartingWith("topic mtp.sessions has 1 partitions, expected 3");
    }

    @Test
    void missing_topics_without_create_are_an_error() {
        assertThatThrownBy(() -> provisioner.ensure(List.of(SESSIONS, INTERACTIONS), false, TIMEOUT))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessage("topics missing: mtp.sessions, mtp.interactions; create them or set app.topics.create=true");
    }

    @Test
    void a_failed_create_names_the_topic_and_the_broker_reason() {
        admin.createFailures.put("mtp.sessions",
                new InvalidReplicationFactorException("Replication factor: 3 larger than available brokers: 1."));
        assertThatThrownBy(() -> provisioner.ensure(List.of(new TopicSpec("mtp.sessions", 3, (short) 3)), true, TIMEOUT))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessage("cannot create topic mtp.sessions: InvalidReplicationFactorException: "
                        + "Replication factor: 3 larger than available brokers: 1.");
    }

    @Test
    void an_unreachable_broker_is_reported_as_such() {
        admin.describeFailure = new TimeoutException("Timed out waiting for a node assignment. Call: describeTopics");
        assertThatThrownBy(() -> provisioner.ensure(List.of(SESSIONS), true, TIMEOUT))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessage("Kafka did not answer within 5000 ms (describing topics mtp.sessions): "
                        + "Timed out waiting for a node assignment. Call: describeTopics");
    }

    @Test
    void other_admin_failures_name_the_exception() {
        admin.describeFailure = new org.apache.kafka.common.errors.TopicAuthorizationException("Not authorized");
        assertThatThrownBy(() -> provisioner.ensure(List.of(SESSIONS), true, TIMEOUT))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessage("Kafka did not answer describing topics mtp.sessions: TopicAuthorizationException: Not authorized");
    }

    @Test
    void the_not_ready_message_lists_at_most_five_partitions_in_order() {
        Map<TopicPartition, Throwable> failures = new HashMap<>();
        java.util.Set<TopicPartition> pending = new java.util.HashSet<>();
        for (int p = 7; p >= 0; p--) {
            TopicPartition tp = new TopicPartition("t", p);
            pending.add(tp);
            failures.put(tp, new NotLeaderOrFollowerException("x"));
        }
        assertThat(TopicProvisioner.notReady(pending, failures, 12, Duration.ofSeconds(30))).isEqualTo(
                "topics not ready within 30000 ms: 8 of 12 partitions did not answer listOffsets: "
                        + "t-0 (NotLeaderOrFollowerException: x), t-1 (NotLeaderOrFollowerException: x), "
                        + "t-2 (NotLeaderOrFollowerException: x), t-3 (NotLeaderOrFollowerException: x), "
                        + "t-4 (NotLeaderOrFollowerException: x) and 3 more");
    }

    @Test
    void topic_specs_and_plans() {
        assertThatThrownBy(() -> new TopicSpec("mtp/sessions", 1, (short) 1)).hasMessageContaining("not a legal topic name");
        assertThatThrownBy(() -> new TopicSpec("t", 0, (short) 1)).hasMessageContaining("partitions must be at least 1");
        assertThatThrownBy(() -> provisioner.ensure(List.of(SESSIONS, SESSIONS), true, TIMEOUT))
                .hasMessage("topic mtp.sessions is listed twice");
        TopicPlan plan = TopicPlan.of(List.of(SESSIONS, INTERACTIONS), Map.of("mtp.sessions", 3));
        assertThat(plan.toCreate()).containsExactly(INTERACTIONS);
        assertThat(plan.mismatches()).isEmpty();
    }
}
