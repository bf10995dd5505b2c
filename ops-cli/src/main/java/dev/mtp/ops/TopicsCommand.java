package dev.mtp.ops;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "topics", description = "Manage the pipeline's topics.", subcommands = TopicsCommand.Create.class)
final class TopicsCommand {

    @Command(name = "create", description = "Create the missing topics (app.topics.*), check partition counts, "
            + "and wait until every partition is writable (KAFKA-15591).")
    static final class Create implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Config config = OpsCli.config();
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                PipelineTopics.ensure(admin, config, config.get(CommonConfigKeys.STARTUP_TIMEOUT_MS));
            }
            for (TopicSpec spec : PipelineTopics.specs(config)) {
                System.out.printf("topic %-28s %d partitions, ready%n", spec.name(), spec.partitions());
            }
            return 0;
        }
    }
}
