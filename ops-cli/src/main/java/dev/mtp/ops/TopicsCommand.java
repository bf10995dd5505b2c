package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.ops.kafka.AdminReader;
import dev.mtp.ops.kafka.PipelineApp;
import dev.mtp.ops.run.SummaryTable;
import dev.mtp.ops.topics.TopicReview;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "topics", description = "The pipeline's topics: create them with their retention, describe them.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class})
final class TopicsCommand {

    @Command(name = "create", description = {
            "Create the missing topics (app.topics.*) with their partitions and retention, check partition counts, "
                    + "and wait until every partition is writable (KAFKA-15591).",
            "An existing topic whose retention differs from app.topics.<topic>.retention-ms is reported; "
                    + "--apply-retention sets it."})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dry-run", description = "Show what would be created or changed; change nothing.")
        boolean dryRun;

        @Option(names = "--apply-retention", description = "Set the configured retention on existing topics whose "
                + "retention differs.")
        boolean applyRetention;

        @Override
        public Integer call() throws Exception {
            Config config = OpsCli.config();
            PrintWriter out = spec.commandLine().getOut();
            List<TopicSpec> specs = PipelineTopics.specs(config);
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                List<TopicReview> before = review(kafka, specs);
                if (dryRun) {
                    print(out, before, r -> switch (r.action()) {
                        case CREATE -> "would be created";
                        case OK -> "ok";
                        case SET_RETENTION -> applyRetention ? "retention would be set" : "retention differs";
                        case PARTITIONS_DIFFER -> "partition count differs (app.topics.partitions): cannot be fixed "
                                + "in place";
                    });
                    out.println("dry run: nothing was changed");
                    return 0;
                }
                PipelineTopics.ensure(admin, config, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                List<TopicReview> after = review(kafka, specs);
                List<TopicReview> differ = after.stream()
                        .filter(r -> r.action() == TopicReview.Action.SET_RETENTION).toList();
                if (applyRetention && !differ.isEmpty()) {
                    setRetention(kafka, differ);
                }
                Map<String, TopicReview.Action> was = before.stream()
                        .collect(Collectors.toMap(r -> r.wanted().name(), TopicReview::action));
                print(out, applyRetention ? review(kafka, specs) : after, r -> switch (r.action()) {
                    case OK -> was.get(r.wanted().name()) == TopicReview.Action.CREATE ? "created, ready"
                            : was.get(r.wanted().name()) == TopicReview.Action.SET_RETENTION ? "retention set, ready"
                            : "ready";
                    case SET_RETENTION -> "ready; retention differs: run with --apply-retention to set it";
                    default -> r.action().label();
                });
                return 0;
            }
        }

        private static void setRetention(AdminReader kafka, List<TopicReview> differ) {
            Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
            for (TopicReview r : differ) {
                ops.put(new ConfigResource(ConfigResource.Type.TOPIC, r.wanted().name()), List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, TopicReview.wantedRetention(r.wanted())),
                        AlterConfigOp.OpType.SET)));
            }
            kafka.get(kafka.admin().incrementalAlterConfigs(ops).all(), "setting retention.ms");
        }

        private static void print(PrintWriter out, List<TopicReview> reviews,
                                  java.util.function.Function<TopicReview, String> status) {
            SummaryTable table = new SummaryTable("topic", "partitions", "retention", "configured", "status");
            for (TopicReview r : reviews) {
                table.row(r.wanted().name(), r.partitions() == null ? r.wanted().partitions() : r.partitions(),
                        TopicReview.readable(r.retentionMs()), TopicReview.readable(TopicReview.wantedRetention(r.wanted())),
                        status.apply(r));
            }
            table.print(out);
        }
    }

    static List<TopicReview> review(AdminReader kafka, List<TopicSpec> specs) {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> existing = kafka.describeTopics(names);
        Map<String, Integer> partitions = new HashMap<>();
        existing.forEach((name, d) -> partitions.put(name, d.partitions().size()));
        Map<String, String> retention = new HashMap<>();
        if (!existing.isEmpty()) {
            kafka.topicConfigs(existing.keySet()).forEach((name, c) -> {
                ConfigEntry e = c.get(TopicConfig.RETENTION_MS_CONFIG);
                if (e != null && e.value() != null) {
                    retention.put(name, e.value());
                }
            });
        }
        return TopicReview.of(specs, partitions, retention);
    }

    @Command(name = "describe", description = "Each topic's partitions, retention and end offsets, and the consumer "
            + "groups reading it with their lag.")
    static final class Describe implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Config config = OpsCli.config();
            PrintWriter out = spec.commandLine().getOut();
            List<String> names = PipelineTopics.of(config).allNames();
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                Map<String, TopicDescription> topics = kafka.describeTopics(names);
                List<TopicPartition> partitions = kafka.partitions(topics.keySet());
                Map<TopicPartition, Long> start = kafka.earliest(partitions);
                Map<TopicPartition, Long> end = kafka.latest(partitions);
                Map<String, org.apache.kafka.clients.admin.Config> configs =
                        topics.isEmpty() ? Map.of() : kafka.topicConfigs(topics.keySet());

                SummaryTable table = new SummaryTable("topic", "partitions", "retention", "source", "records",
                        "end offsets");
                for (String name : names) {
                    TopicDescription d = topics.get(name);
                    if (d == null) {
                        table.row(name, null, null, null, null, "missing: run topics create");
                        continue;
                    }
                    ConfigEntry retention = configs.get(name).get(TopicConfig.RETENTION_MS_CONFIG);
                    List<TopicPartition> own = partitions.stream().filter(tp -> tp.topic().equals(name)).toList();
                    long records = own.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum();
                    table.row(name, d.partitions().size(), TopicReview.readable(retention.value()),
                            retention.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG ? "topic"
                                    : "broker default", records,
                            own.stream().map(tp -> tp.partition() + ":" + end.get(tp))
                                    .collect(Collectors.joining(" ")));
                }
                table.print(out);
                out.println();
                groups(kafka, config, partitions, end).print(out);
            }
            return 0;
        }

        private static SummaryTable groups(AdminReader kafka, Config config, List<TopicPartition> partitions,
                                           Map<TopicPartition, Long> end) {
            SummaryTable table = new SummaryTable("group", "app", "topic", "state", "members", "partitions read",
                    "lag", "max partition lag");
            for (String group : kafka.groups()) {
                Map<TopicPartition, Long> committed = kafka.committed(group);
                Map<String, List<TopicPartition>> byTopic = new TreeMap<>();
                for (TopicPartition tp : partitions) {
                    if (committed.containsKey(tp)) {
                        byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp);
                    }
                }
                if (byTopic.isEmpty()) {
                    continue;
                }
                Optional<ConsumerGroupDescription> description = kafka.describeGroup(group);
                String state = description.map(d -> d.groupState().toString().toLowerCase(java.util.Locale.ROOT))
                        .orElse("-");
                int members = description.map(d -> d.members().size()).orElse(0);
                String app = PipelineApp.ofGroup(group, config).map(PipelineApp::cliName).orElse("-");
                byTopic.forEach((topic, read) -> {
                    long lag = read.stream().mapToLong(tp -> Math.max(0, end.get(tp) - committed.get(tp))).sum();
                    long max = read.stream().mapToLong(tp -> Math.max(0, end.get(tp) - committed.get(tp))).max()
                            .orElse(0);
                    long total = partitions.stream().filter(tp -> tp.topic().equals(topic)).count();
                    table.row(group, app, topic, state, members, read.size() + "/" + total, lag, max);
                });
            }
            if (table.isEmpty()) {
                table.row("(no consumer group has committed offsets on these topics)", "", "", "", "", "", "", "");
            }
            return table;
        }
    }
}
