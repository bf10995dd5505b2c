package dev.mtp.ops;

import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code topics create} and {@code topics describe} against a real broker. */
@RealServers
class TopicsIT {

    private static String retention(TestNamespace ns, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return ns.admin().describeConfigs(List.of(r)).all().get().get(r).get("retention.ms").value();
    }

    @Test
    void createMakesEachTopicWithItsRetentionReportsADifferenceAndSetsItOnlyWhenAsked(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns)) {
            Cli.Run dry = cli.run("topics", "create", "--dry-run");
            assertThat(dry.exitCode()).isZero();
            assertThat(dry.out()).contains("dry run: nothing was changed")
                    .containsPattern(ns.topicPrefix().replace(".", "\\.") + "evaluations\\.v1\\s+2\\s+-\\s+90d\\s+would be created");
            assertThat(ns.admin().listTopics().names().get()).noneMatch(t -> t.startsWith(ns.topicPrefix()));

            Cli.Run create = cli.run("topics", "create");
            assertThat(create.exitCode()).as(create.err()).isZero();
            assertThat(create.out().lines().filter(l -> l.contains("created, ready"))).hasSize(4);
            assertThat(retention(ns, cli.topics.sessions().name())).isEqualTo("604800000");
            assertThat(retention(ns, cli.topics.interactions().name())).isEqualTo("604800000");
            assertThat(retention(ns, cli.topics.evaluations().name())).isEqualTo("7776000000");
            assertThat(retention(ns, cli.topics.deadLetter().name())).isEqualTo("2592000000");

            // someone shortened the sessions topic's retention by hand
            ConfigResource sessions = new ConfigResource(ConfigResource.Type.TOPIC, cli.topics.sessions().name());
            ns.admin().incrementalAlterConfigs(Map.of(sessions, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "86400000"), AlterConfigOp.OpType.SET)))).all().get();

            Cli.Run reported = cli.run("topics", "create");
            assertThat(reported.exitCode()).isZero();
            assertThat(reported.out()).containsPattern("sessions\\.v1\\s+2\\s+1d\\s+7d\\s+ready; retention differs: run "
                    + "with --apply-retention to set it");
            assertThat(retention(ns, cli.topics.sessions().name())).isEqualTo("86400000");

            Cli.Run wouldSet = cli.run("topics", "create", "--dry-run", "--apply-retention");
            assertThat(wouldSet.out()).containsPattern("sessions\\.v1\\s+2\\s+1d\\s+7d\\s+retention would be set");
            assertThat(retention(ns, cli.topics.sessions().name())).isEqualTo("86400000");

            Cli.Run applied = cli.run("topics", "create", "--apply-retention");
            assertThat(applied.exitCode()).isZero();
            assertThat(applied.out()).containsPattern("sessions\\.v1\\s+2\\s+7d\\s+7d\\s+retention set, ready");
            assertThat(retention(ns, cli.topics.sessions().name())).isEqualTo("604800000");
        }
    }

    @Test
    void describeShowsPartitionsRetentionEndOffsetsAndEachGroupsLag(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns)) {
            cli.createTopics();
            cli.produceEvaluations(10, i -> Instant.now());
            String topic = cli.topics.evaluations().name();
            // mongo-writer's group committed the start of both partitions: all 10 records are its lag
            var offsets = new java.util.HashMap<TopicPartition, OffsetAndMetadata>();
            for (int p = 0; p < 2; p++) {
                offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
            }
            ns.admin().alterConsumerGroupOffsets(ns.group("mongo-writer"), offsets).all().get();

            Cli.Run describe = cli.run("topics", "describe");
            assertThat(describe.exitCode()).as(describe.err()).isZero();
            assertThat(describe.out())
                    .containsPattern(topic.replace(".", "\\.") + "\\s+2\\s+90d\\s+topic\\s+10\\s+0:\\d+ 1:\\d+")
                    .containsPattern("deadletter\\.v1\\s+2\\s+30d\\s+topic\\s+0\\s+0:0 1:0")
                    .containsPattern(ns.group("mongo-writer").replace(".", "\\.") + "\\s+mongo-writer\\s+"
                            + topic.replace(".", "\\.") + "\\s+empty\\s+0\\s+2/2\\s+10\\s+\\d+");
        }
    }

    @Test
    void aBadArgumentOrSettingIsOneLineNamingItWithExitCode2(TestNamespace ns) {
        try (Cli cli = new Cli(ns, Map.of("app.topics.deadletter.retention-ms", "5000"))) {
            Cli.Run badSetting = cli.run("topics", "describe");
            assertThat(badSetting.exitCode()).isEqualTo(2);
            assertThat(badSetting.errorLines()).singleElement().asString()
                    .contains("app.topics.deadletter.retention-ms").contains("at least 3600000 ms");
        }
        try (Cli cli = new Cli(ns)) {
            Cli.Run unknown = cli.run("topics", "create", "--retention=1");
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.errorLines()).singleElement().asString()
                    .startsWith("mtp-ops topics create: Unknown option: '--retention=1'")
                    .endsWith("(see mtp-ops topics create --help)");
            Cli.Run help = cli.run("topics", "create", "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: mtp-ops topics create").contains("--apply-retention");
        }
    }
}
