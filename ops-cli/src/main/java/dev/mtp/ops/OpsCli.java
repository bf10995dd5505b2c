package dev.mtp.ops;

import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.runtime.ServerRefusal;
import dev.mtp.runtime.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * mtp-ops: the operator's commands. Reads the same settings as the apps (KAFKA_BOOTSTRAP_SERVERS,
 * REDIS_URL, MONGODB_URI, APP_TOPICS_PREFIX ...). Failures print one line and exit non-zero.
 */
@Command(name = "mtp-ops", mixinStandardHelpOptions = true,
        description = "Operate the multi-tier persistence pipeline.",
        subcommands = {TopicsCommand.class, WhereCommand.class, ShadowCommand.class, AnalyzeCommand.class})
public final class OpsCli {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new OpsCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("mtp-ops: " + ServerRefusal.describe(e).orElseGet(() -> oneLine(e)));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    static Config config() {
        try {
            return ConfigLoader.load(OpsConfig.TABLE);
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(new CommandLine(new OpsCli()), e.getMessage());
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
