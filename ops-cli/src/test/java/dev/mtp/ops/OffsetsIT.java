package dev.mtp.ops;

import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code offsets show | reset} on the apps' groups, against a real broker. */
@RealServers
class OffsetsIT {

    private static Map<TopicPartition, Long> committed(TestNamespace ns, String group) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        ns.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .forEach((tp, o) -> offsets.put(tp, o.offset()));
        return offsets;
    }

    @Test
    void resetsMongoWritersGroupToEarliestATimeOrByNAndShowsThePlanOnADryRun(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns)) {
            cli.createTopics();
            Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
            cli.produceEvaluations(20, i -> t0.plusSeconds(i * 60L));
            String group = ns.group("mongo-writer");
            String topic = cli.topics.evaluations().name();
            Map<TopicPartition, OffsetAndMetadata> atEnd = new HashMap<>();
            for (var e : ns.admin().listOffsets(Map.of(new TopicPartition(topic, 0),
                    org.apache.kafka.clients.admin.OffsetSpec.latest(), new TopicPartition(topic, 1),
                    org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get().entrySet()) {
                atEnd.put(e.getKey(), new OffsetAndMetadata(e.getValue().offset()));
            }
            ns.admin().alterConsumerGroupOffsets(group, atEnd).all().get();

            Cli.Run show = cli.run("offsets", "show", "--app", "mongo-writer");
            assertThat(show.exitCode()).isZero();
            assertThat(show.out()).contains("mongo-writer: group " + group + ", empty, 0 members")
                    .containsPattern("total\\s+0");

            Cli.Run dry = cli.run("offsets", "reset", "--app", "mongo-writer", "--to-earliest", "--dry-run");
            assertThat(dry.exitCode()).isZero();
            assertThat(dry.out()).contains("would reset group " + group + " to earliest")
                    .contains("20 records to read again").contains("dry run: nothing was changed");
            assertThat(committed(ns, group)).isEqualTo(toLongs(atEnd));

            Cli.Run earliest = cli.run("offsets", "reset", "--app", "mongo-writer", "--to-earliest",
                    "--topic", topic);
            assertThat(earliest.exitCode()).as(earliest.err()).isZero();
            assertThat(committed(ns, group)).containsEntry(new TopicPartition(topic, 0), 0L)
                    .containsEntry(new TopicPartition(topic, 1), 0L);

            Cli.Run shifted = cli.run("offsets", "reset", "--app", "mongo-writer", "--shift-by", "3",
                    "--topic", topic);
            assertThat(shifted.exitCode()).isZero();
            assertThat(committed(ns, group).get(new TopicPartition(topic, 0))).isEqualTo(
                    Math.min(3, atEnd.get(new TopicPartition(topic, 0)).offset()));

            // the records at or after minute 15 are the last five
            Cli.Run atTime = cli.run("offsets", "reset", "--app", "mongo-writer", "--to-datetime",
                    "2026-12-01T00:15:00Z", "--topic", topic);
            assertThat(atTime.exitCode()).isZero();
            long unread = atEnd.entrySet().stream()
                    .mapToLong(e -> e.getValue().offset() - committedUnchecked(ns, group, e.getKey())).sum();
            assertThat(unread).isEqualTo(5);
        }
    }

    private static Map<TopicPartition, Long> toLongs(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, Long> longs = new HashMap<>();
        offsets.forEach((tp, o) -> longs.put(tp, o.offset()));
        return longs;
    }

    private static long committedUnchecked(TestNamespace ns, String group, TopicPartition tp) {
        try {
            return committed(ns, group).get(tp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void showSaysWhenAnAppsGroupHasNeverCommitted(TestNamespace ns) {
        try (Cli cli = new Cli(ns)) {
            cli.createTopics();
            Cli.Run show = cli.run("offsets", "show");
            assertThat(show.exitCode()).as(show.err()).isZero();
            assertThat(show.out())
                    .contains("cache-writer: group " + ns.topicPrefix() + "cache-writer, unknown to Kafka")
                    .contains("mongo-writer: group " + ns.group("mongo-writer") + ", unknown to Kafka")
                    .contains("reconciler: group " + ns.topicPrefix() + "shadow-reconciler, unknown to Kafka")
                    .containsPattern(ns.topicPrefix().replace(".", "\\.") + "evaluations\\.v1\\s+1\\s+-\\s+0\\s+-");
        }
    }

    @Test
    void refusesToResetAGroupWithMembers(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns)) {
            cli.createTopics();
            String group = ns.topicPrefix() + "cache-writer";
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "running-cache-writer");
            try (KafkaConsumer<byte[], byte[]> running = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                running.subscribe(List.of(cli.topics.sessions().name()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (running.assignment().isEmpty() && System.nanoTime() < deadline) {
                    running.poll(Duration.ofMillis(200));
                }
                Cli.Run refused = cli.run("offsets", "reset", "--app", "cache-writer", "--to-latest");
                assertThat(refused.exitCode()).isEqualTo(1);
                assertThat(refused.errorLines()).singleElement().asString()
                        .contains("group " + group + " has 1 member(s) (running-cache-writer): stop cache-writer first");
                assertThat(refused.out()).contains("cannot reset group " + group);

                Cli.Run dry = cli.run("offsets", "reset", "--app", "cache-writer", "--to-latest", "--dry-run");
                assertThat(dry.exitCode()).isZero();
                assertThat(dry.out()).contains("the reset would be refused now");
            }
        }
    }

    @Test
    void badArgumentsAreOneLineWithExitCode2(TestNamespace ns) {
        try (Cli cli = new Cli(ns)) {
            Cli.Run app = cli.run("offsets", "reset", "--app", "redis-writer", "--to-earliest");
            assertThat(app.exitCode()).isEqualTo(2);
            assertThat(app.errorLines()).singleElement().asString()
                    .contains("'redis-writer' is not an app; valid: cache-writer, mongo-writer, reconciler");

            Cli.Run two = cli.run("offsets", "reset", "--app", "cache-writer", "--to-earliest", "--to-latest");
            assertThat(two.exitCode()).isEqualTo(2);
            assertThat(two.errorLines()).singleElement().asString().contains("mutually exclusive");

            Cli.Run none = cli.run("offsets", "reset", "--app", "cache-writer");
            assertThat(none.exitCode()).isEqualTo(2);
            assertThat(none.errorLines()).singleElement().asString().contains("Missing required argument");

            Cli.Run time = cli.run("offsets", "reset", "--app", "cache-writer", "--to-datetime", "yesterday");
            assertThat(time.exitCode()).isEqualTo(2);
            assertThat(time.errorLines()).singleElement().asString().contains("--to-datetime")
                    .contains("'yesterday' is not a time");

            Cli.Run topic = cli.run("offsets", "reset", "--app", "cache-writer", "--to-latest", "--topic",
                    cli.topics.evaluations().name());
            assertThat(topic.exitCode()).isEqualTo(2);
            assertThat(topic.errorLines()).singleElement().asString()
                    .contains("is not an input topic of cache-writer");
        }
    }
}
