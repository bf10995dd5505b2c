package dev.mtp.ops;

import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.runtime.startup.ServerRefusal;
import dev.mtp.runtime.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * mtp-ops: the operator's commands. Reads the same settings as the apps (KAFKA_BOOTSTRAP_SERVERS,
 * REDIS_URL, MONGODB_URI, APP_TOPICS_PREFIX ...). Exit codes: 0 done, 1 failed (one line saying why), 2 a bad argument
 * or setting (one line naming it), 3 drift remains (shadow check), 4 stopped before the end with a checkpoint (run
 * again to resume), 130 stopped by Ctrl-C with a checkpoint.
 */
@Command(name = "mtp-ops", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        description = "Operate the multi-tier persistence pipeline.",
        subcommands = {TopicsCommand.class, OffsetsCommand.class, DlqCommand.class, ExportCommand.class, ImportCommand.class, ReplayCommand.class,
                WhereCommand.class, ShadowCommand.class, AnalyzeCommand.class})
public final class OpsCli {

    /** Exit code of a bad argument or setting (picocli's usage error code). */
    public static final int BAD_ARGUMENT = CommandLine.ExitCode.USAGE;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with the house rules for failures: a bad argument prints one line naming it and exits 2
     * (no usage dump: {@code --help} shows that), any other failure prints one line and exits 1.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OpsCli());
        cli.setParameterExceptionHandler((e, args) -> badArgument(e.getCommandLine(), e));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BadSettingException bad) {
                return badArgument(commandLine, bad);
            }
            commandLine.getErr().println("mtp-ops: " + ServerRefusal.describe(e).orElseGet(() -> oneLine(e)));
            return 1;
        });
        return cli;
    }

    private static int badArgument(CommandLine command, RuntimeException e) {
        String name = command.getCommandSpec().qualifiedName();
        command.getErr().println(name + ": " + oneLine(e) + " (see " + name + " --help)");
        return BAD_ARGUMENT;
    }

    /** The settings, read as the apps read theirs; a bad one is a bad argument (exit 2) of the running command. */
    static Config config() {
        try {
            return ConfigLoader.load(OpsConfig.TABLE);
        } catch (ConfigException e) {
            throw new BadSettingException(e.getMessage());
        }
    }

    /** A setting (environment, -D, config file) that breaks its key's rule. */
    static final class BadSettingException extends RuntimeException {
        BadSettingException(String message) {
            super(message);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
