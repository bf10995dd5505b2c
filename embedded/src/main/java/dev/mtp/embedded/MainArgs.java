package dev.mtp.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Options of the standalone mains: {@code --name value} on the command line, else an environment variable, else
 * the default. Unknown options and malformed values are refused with the full list of options.
 */
final class MainArgs {

    /** One option: its command-line name, its environment variable and its default ({@code null}: none). */
    record Option(String name, String env, String defaultValue, String doc) {
    }

    private final String program;
    private final List<Option> options;
    private final Map<String, String> given;

    private MainArgs(String program, List<Option> options, Map<String, String> given) {
        this.program = program;
        this.options = options;
        this.given = given;
    }

    static MainArgs parse(String program, String[] args, List<Option> options) {
        Map<String, Option> byName = new LinkedHashMap<>();
        options.forEach(option -> byName.put("--" + option.name(), option));
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            Option option = byName.get(args[i]);
            if (option == null || i + 1 == args.length) {
                throw new IllegalArgumentException((option == null ? "unknown option " : "no value for ") + args[i]
                        + "\n" + usage(program, options));
            }
            given.put(option.name(), args[++i]);
        }
        return new MainArgs(program, options, given);
    }

    /** Whether the option was given on the command line or in the environment. */
    boolean isSet(Option option) {
        return given.containsKey(option.name()) || !isBlank(System.getenv(option.env()));
    }

    String get(Option option) {
        String value = given.get(option.name());
        if (value == null) {
            String env = System.getenv(option.env());
            value = isBlank(env) ? option.defaultValue() : env;
        }
        if (value == null) {
            throw new IllegalArgumentException("--" + option.name() + " (" + option.env() + ") is required\n"
                    + usage(program, options));
        }
        return value;
    }

    Path path(Option option) {
        return Path.of(get(option));
    }

    int port(Option option) {
        String value = get(option);
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // Reported below together with the usage.
        }
        throw new IllegalArgumentException("--" + option.name() + " (" + option.env() + ") must be a port 0-65535,"
                + " was '" + value + "'\n" + usage(program, options));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String usage(String program, List<Option> options) {
        return "usage: " + program + " " + options.stream()
                .map(o -> String.format("%n  --%-20s %s (env %s%s)", o.name() + " V", o.doc(), o.env(),
                        o.defaultValue() == null ? "" : ", default " + o.defaultValue()))
                .collect(Collectors.joining());
    }
}
