package dev.mtp.runtime.config;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigSource;
import dev.mtp.common.config.ConfigTable;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Builds the layered source of a process and resolves the app's table against it. Precedence, highest first:
 * JVM system properties ({@code -Dkey=value}), environment variables ({@code KEY_NAME}, or {@code KEY_NAME_FILE}
 * naming a file that holds the value), the optional file named by {@code app.config-file} ({@code APP_CONFIG_FILE}),
 * the keys' defaults. The file of Kafka client properties ({@code kafka.config-file}) is read and checked here too,
 * so a conflict with the pipeline's own client settings is refused before anything starts.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /** Resolves the table from this process's system properties, environment and config file. */
    public static Config load(ConfigTable table) {
        return load(table, systemProperties(), System.getenv());
    }

    /**
     * Resolves the table from the given maps and the file they name. A file that cannot be read is reported
     * together with every other problem, in one {@link ConfigException}.
     */
    public static Config load(ConfigTable table, Map<String, String> systemProperties, Map<String, String> environment) {
        List<ConfigSource> layers = new ArrayList<>();
        layers.add(ConfigSource.systemProperties(systemProperties));
        layers.add(new SecretFileSource(environment));
        layers.add(ConfigSource.environment(environment));
        ConfigException fileProblem = null;
        Optional<ConfigSource.Found> file = ConfigSource.layered(layers).lookup(CommonConfigKeys.CONFIG_FILE.name());
        if (file.isPresent()) {
            try {
                layers.add(fileSource(file.get()));
            } catch (ConfigException e) {
                fileProblem = e;
            }
        }
        ConfigSource source = ConfigSource.layered(layers);
        if (fileProblem == null) {
            Config config = table.resolve(source);
            KafkaClientProperties.load(config);
            return config;
        }
        List<ConfigException.Problem> problems = new ArrayList<>(fileProblem.problems());
        try {
            table.resolve(source);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        throw new ConfigException(problems);
    }

    private static ConfigSource fileSource(ConfigSource.Found named) {
        Path path;
        try {
            path = Path.of(named.value());
        } catch (InvalidPathException e) {
            throw new ConfigException(CommonConfigKeys.CONFIG_FILE.name(),
                    "'" + named.value() + "' is not a valid path (from " + named.origin() + ")");
        }
        return ConfigSource.file(path.toString(), ConfigFiles.read(path, named.origin()));
    }

    /** A snapshot of the JVM's system properties as strings. */
    public static Map<String, String> systemProperties() {
        Properties p = System.getProperties();
        Map<String, String> map = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            map.put(name, p.getProperty(name));
        }
        return map;
    }
}
