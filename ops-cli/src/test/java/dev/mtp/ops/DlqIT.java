package dev.mtp.ops;

import dev.mtp.common.event.InvalidEventException;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dlq list | show} over letters written by the writers' own publisher, against a real broker. */
@RealServers
class DlqIT {

    private static void publish(Cli cli, String app, Instant at, int count, String sourceTopic, byte[] value,
                                RuntimeException error) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cli.ns.kafkaBootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (DeadLetterPublisher publisher = new DeadLetterPublisher(props, cli.topics.deadLetter().name(), app,
                Clock.fixed(at, ZoneOffset.UTC))) {
            for (int i = 0; i < count; i++) {
                publisher.send(new ConsumerRecord<>(sourceTopic, 1, 100 + i, "s-1".getBytes(StandardCharsets.UTF_8),
                        value), error);
            }
            publisher.flush();
        }
    }

    @Test
    void listGroupsLettersByAppReasonAndSourceAndShowDecodesOne(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns)) {
            cli.createTopics();
            String sessions = cli.topics.sessions().name();
            String interactions = cli.topics.interactions().name();
            byte[] badEvent = "{\"eventId\":\"x\",\"type\":\"session.created\"}".getBytes(StandardCharsets.UTF_8);
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant first = now.minus(java.time.Duration.ofDays(3));
            Instant second = first.plus(java.time.Duration.ofHours(2));
            Instant third = now.minus(java.time.Duration.ofDays(1));
            publish(cli, "cache-writer", first, 3, sessions, badEvent,
                    new InvalidEventException("eventId", "is not a UUID"));
            publish(cli, "cache-writer", second, 2, sessions, badEvent,
                    new InvalidEventException("eventId", "is not a UUID"));
            publish(cli, "mongo-writer", third, 1, interactions,
                    new byte[]{(byte) 0xff, 0x00, 0x41}, new IllegalStateException("unparseable"));

            Cli.Run list = cli.run("dlq", "list");
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.out())
                    .containsPattern("cache-writer\\s+InvalidEventException\\s+" + sessions.replace(".", "\\.")
                            + "\\s+5\\s+0\\s+" + first + "\\s+" + second + "\\s+\\d:\\d+\\s+eventId")
                    .containsPattern("mongo-writer\\s+IllegalStateException\\s+" + interactions.replace(".", "\\.")
                            + "\\s+1\\s+0\\s+" + third + "\\s+" + third + "\\s+(\\d):(\\d+)\\s+unparseable")
                    .contains("6 dead letters on " + cli.topics.deadLetter().name() + " in 2 groups");

            java.util.regex.Matcher where = java.util.regex.Pattern
                    .compile("IllegalStateException.*?\\s(\\d+:\\d+)\\s+unparseable").matcher(list.out());
            assertThat(where.find()).isTrue();
            Cli.Run binary = cli.run("dlq", "show", where.group(1));
            assertThat(binary.exitCode()).as(binary.err()).isZero();
            assertThat(binary.out()).contains("app        mongo-writer")
                    .contains("source     " + interactions + "/1@100")
                    .contains("reason     java.lang.IllegalStateException")
                    .contains("mtp.dlq.failed.at            " + third)
                    .contains("binary, 3 bytes:").contains("ff 00 41");

            java.util.regex.Matcher invalid = java.util.regex.Pattern
                    .compile("InvalidEventException.*?\\s(\\d+:\\d+)\\s+eventId").matcher(list.out());
            assertThat(invalid.find()).isTrue();
            Cli.Run json = cli.run("dlq", "show", invalid.group(1));
            assertThat(json.out()).contains("\"type\" : \"session.created\"")
                    .contains("not a valid event of the contract:").contains("key        s-1");

            Cli.Run later = cli.run("dlq", "list", "--since", "2d");
            assertThat(later.out()).contains("1 dead letters on").doesNotContain("InvalidEventException");
        }
    }

    @Test
    void badArgumentsAreOneLineWithExitCode2(TestNamespace ns) {
        try (Cli cli = new Cli(ns)) {
            cli.createTopics();
            Cli.Run notCoordinates = cli.run("dlq", "show", "latest");
            assertThat(notCoordinates.exitCode()).isEqualTo(2);
            assertThat(notCoordinates.errorLines()).singleElement().asString()
                    .contains("'latest' is not a partition and an offset, e.g. 0:42");

            Cli.Run noPartition = cli.run("dlq", "show", "7:0");
            assertThat(noPartition.exitCode()).isEqualTo(2);
            assertThat(noPartition.errorLines()).singleElement().asString().contains("has no partition 7");

            Cli.Run empty = cli.run("dlq", "show", "0:0");
            assertThat(empty.exitCode()).isEqualTo(2);
            assertThat(empty.errorLines()).singleElement().asString().contains("holds offsets 0 to -1 (none), not 0");

            Cli.Run range = cli.run("dlq", "list", "--since", "2026-12-02", "--until", "2026-12-01");
            assertThat(range.exitCode()).isEqualTo(2);
            assertThat(range.errorLines()).singleElement().asString().contains("must be before --until");
        }
    }
}
