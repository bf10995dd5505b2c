package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.ops.kafka.AdminReader;
import dev.mtp.ops.kafka.PipelineApp;
import dev.mtp.ops.offsets.OffsetPlan;
import dev.mtp.ops.offsets.ResetTarget;
import dev.mtp.ops.run.SummaryTable;
import dev.mtp.ops.run.TimeArgument;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "offsets", description = "Show or reset the consumer group of an app (cache-writer, mongo-writer, "
        + "reconciler), like kafka-consumer-groups --reset-offsets but knowing the apps' groups and topics.",
        subcommands = {OffsetsCommand.Show.class, OffsetsCommand.Reset.class})
final class OffsetsCommand {

    /** Exit code when the group has members, so its offsets cannot be reset. */
    static final int GROUP_ACTIVE = 1;

    @Command(name = "show", description = "Each app's group: state, members, committed offset, end offset and lag "
            + "per partition of its input topics.")
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--app", converter = PipelineApp.Converter.class, completionCandidates = PipelineApp.Names.class,
                description = "Only this app's group: ${COMPLETION-CANDIDATES} (default: all three).")
        PipelineApp app;

        @Override
        public Integer call() {
            Config config = OpsCli.config();
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                for (PipelineApp a : app == null ? List.of(PipelineApp.values()) : List.of(app)) {
                    String group = a.groupId(config);
                    Optional<ConsumerGroupDescription> d = kafka.describeGroup(group);
                    out.printf(Locale.ROOT, "%s: group %s, %s%n", a.cliName(), group, d.map(g -> g.groupState()
                            .toString().toLowerCase(Locale.ROOT) + ", " + g.members().size() + " members")
                            .orElse("unknown to Kafka (it never committed an offset)"));
                    List<TopicPartition> partitions = kafka.partitions(a.inputTopics(PipelineTopics.of(config)));
                    Map<TopicPartition, Long> committed = kafka.committed(group);
                    Map<TopicPartition, Long> end = kafka.latest(partitions);
                    SummaryTable table = new SummaryTable("topic", "partition", "committed", "end", "lag");
                    long lag = 0;
                    for (TopicPartition tp : partitions) {
                        Long c = committed.get(tp);
                        Long l = c == null ? null : Math.max(0, end.get(tp) - c);
                        lag += l == null ? 0 : l;
                        table.row(tp.topic(), tp.partition(), c, end.get(tp), l);
                    }
                    table.row("total", "", "", "", lag);
                    table.print(out);
                    out.println();
                }
            }
            return 0;
        }
    }

    @Command(name = "reset", description = {
            "Move an app's group to the earliest or latest offsets, to a time, or by N records, on every partition "
                    + "of its input topics (or of --topic). The app reads again from there when it starts: what it "
                    + "reads again is applied as duplicates and stale events (no effect), what it skips is not "
                    + "applied.",
            "Refused while the group has members: stop the app first."})
    static final class Reset implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--app", required = true, converter = PipelineApp.Converter.class,
                completionCandidates = PipelineApp.Names.class, description = "The app: ${COMPLETION-CANDIDATES}.")
        PipelineApp app;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--to-earliest", description = "The first offset each partition still holds.")
            boolean earliest;
            @Option(names = "--to-latest", description = "The end of each partition: skip everything not read yet.")
            boolean latest;
            @Option(names = "--to-datetime", paramLabel = "TIME", converter = TimeArgument.class,
                    description = "The first record at or after TIME: " + TimeArgument.FORMS + ".")
            Instant time;
            @Option(names = "--shift-by", paramLabel = "N", description = "N records from the committed offset "
                    + "(negative: back), kept within what each partition holds.")
            Long shift;

            ResetTarget target() {
                if (earliest) {
                    return new ResetTarget.Earliest();
                }
                if (latest) {
                    return new ResetTarget.Latest();
                }
                return time != null ? new ResetTarget.At(time) : new ResetTarget.Shift(shift);
            }
        }

        @Option(names = "--topic", paramLabel = "TOPIC", split = ",",
                description = "Only these of the app's input topics (full names, comma-separated).")
        List<String> topics;

        @Option(names = "--dry-run", description = "Show the plan; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Config config = OpsCli.config();
            PrintWriter out = spec.commandLine().getOut();
            List<String> inputs = app.inputTopics(PipelineTopics.of(config));
            if (topics != null) {
                for (String t : topics) {
                    if (!inputs.contains(t)) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--topic: '" + t
                                + "' is not an input topic of " + app.cliName() + "; valid: " + String.join(", ", inputs));
                    }
                }
                inputs = topics;
            }
            String group = app.groupId(config);
            ResetTarget to = target.target();
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                AdminReader kafka = new AdminReader(admin, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
                List<TopicPartition> partitions = kafka.partitions(inputs);
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("none of " + String.join(", ", inputs) + " exists");
                }
                OffsetPlan plan = OffsetPlan.of(partitions, to, kafka.committed(group), kafka.earliest(partitions),
                        kafka.latest(partitions), to instanceof ResetTarget.At at ? kafka.at(partitions, at.time())
                                : Map.of());
                print(out, plan);
                java.util.Collection<MemberDescription> members = kafka.describeGroup(group)
                        .map(ConsumerGroupDescription::members).orElse(List.of());
                String refusal = members.isEmpty() ? null : "group " + group + " has " + members.size()
                        + " member(s) (" + members.stream().map(MemberDescription::clientId).distinct()
                        .collect(Collectors.joining(", ")) + "): stop " + app.cliName() + " first";
                out.printf(Locale.ROOT, "%n%s group %s to %s: %d of %d partitions change; %,d records to read again, "
                                + "%,d skipped%n", dryRun ? "would reset" : refusal == null ? "resetting" : "cannot reset",
                        group, to, plan.changing(), plan.moves().size(), plan.replayed(), plan.skipped());
                if (refusal != null) {
                    if (dryRun) {
                        out.println("dry run: nothing was changed; the reset would be refused now: " + refusal);
                        return 0;
                    }
                    spec.commandLine().getErr().println("mtp-ops: " + refusal);
                    return GROUP_ACTIVE;
                }
                if (dryRun) {
                    out.println("dry run: nothing was changed");
                    return 0;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                plan.moves().forEach(m -> offsets.put(m.partition(), new OffsetAndMetadata(m.target())));
                kafka.get(admin.alterConsumerGroupOffsets(group, offsets).all(), "committing the new offsets of "
                        + group);
                out.printf(Locale.ROOT, "done: %s reads from the new offsets when it starts%n", app.cliName());
            }
            return 0;
        }

        private static void print(PrintWriter out, OffsetPlan plan) {
            SummaryTable table = new SummaryTable("topic", "partition", "committed", "earliest", "latest", "new",
                    "records read again");
            for (OffsetPlan.Move m : plan.moves()) {
                table.row(m.partition().topic(), m.partition().partition(), m.committed(), m.earliest(), m.latest(),
                        m.target(), m.replayed());
            }
            table.print(out);
        }
    }
}
