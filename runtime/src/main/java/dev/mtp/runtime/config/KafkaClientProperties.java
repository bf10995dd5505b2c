package dev.mtp.runtime.config;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.Masking;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client properties of {@code kafka.config-file}, in the Kafka client's own {@code .properties} format,
 * passed to every Kafka client the app opens (security, timeouts, tuning). Settings the pipeline relies on are
 * refused, so that a copied client.properties cannot quietly turn off acks=all, idempotence or manual commits.
 */
public final class KafkaClientProperties {

    /** Client settings the pipeline sets itself, and why; Kafka Streams' client prefixes are seen through. */
    static final Map<String, String> RESERVED = reserved();

    /** Kafka Streams' per-client prefixes ({@code producer.acks}): the setting behind them is checked. */
    private static final List<String> STREAMS_CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.",
            "global.consumer.", "consumer.", "producer.", "admin.");

    private KafkaClientProperties() {}

    private static Map<String, String> reserved() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("bootstrap.servers", "set kafka.bootstrap.servers instead");
        r.put("client.id", "each client is named <app>-<host>-<role> for its metrics and the broker's logs");
        String nothingLost = "the producer keeps 'nothing acknowledged is lost' (acks=all, idempotence on)";
        r.put("acks", nothingLost);
        r.put("enable.idempotence", nothingLost);
        r.put("transactional.id", nothingLost);
        String serdes = "the event contract fixes how keys and values are encoded";
        r.put("key.serializer", serdes);
        r.put("value.serializer", serdes);
        r.put("key.deserializer", serdes);
        r.put("value.deserializer", serdes);
        r.put("default.key.serde", serdes);
        r.put("default.value.serde", serdes);
        String commits = "writers commit an offset only after its effect is durable";
        r.put("enable.auto.commit", commits);
        r.put("auto.offset.reset", commits);
        r.put("isolation.level", commits);
        r.put("group.id", "consumer groups are named by the app (app.*.group-id settings)");
        r.put("group.instance.id", "consumer groups are named by the app");
        r.put("application.id", "the reconciler's application id names its state and changelog topics");
        r.put("processing.guarantee", "the reconciler's processing guarantee is part of its design");
        // Set from the apps' own keys (docs/config): the file's value would show in the log and be ignored.
        for (String derived : List.of("max.poll.records", "compression.type", "linger.ms", "delivery.timeout.ms",
                "max.block.ms", "request.timeout.ms", "commit.interval.ms", "num.stream.threads", "replication.factor",
                "state.dir", "statestore.cache.max.bytes", "statestore.uncommitted.max.bytes",
                "deserialization.exception.handler", "rocksdb.config.setter")) {
            r.put(derived, "the app sets it from its own settings (docs/config)");
        }
        return Map.copyOf(r);
    }

    /**
     * The properties of {@code kafka.config-file}, or none when it is unset or the app's table lacks it.
     *
     * @throws ConfigException when the file cannot be read or sets a reserved setting (every one is listed)
     */
    public static Map<String, String> load(Config config) {
        if (!config.table().contains(CommonConfigKeys.KAFKA_CONFIG_FILE)) {
            return Map.of();
        }
        return config.find(CommonConfigKeys.KAFKA_CONFIG_FILE)
                .map(location -> read(location, config.origin(CommonConfigKeys.KAFKA_CONFIG_FILE)))
                .orElse(Map.of());
    }

    /**
     * The checked properties of a client properties file given outside a config table (the benchmarks' own clients,
     * from {@code KAFKA_CONFIG_FILE}).
     */
    public static Map<String, String> fromFile(String location) {
        return read(location, "environment variable KAFKA_CONFIG_FILE");
    }

    private static Map<String, String> read(String location, String origin) {
        String text;
        try {
            text = Files.readString(Path.of(location), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            throw new ConfigException(CommonConfigKeys.KAFKA_CONFIG_FILE.name(), "cannot read '" + location
                    + "' (from " + origin + "): " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return parse(location, text);
    }

    /** Parses and checks the text of a client properties file; {@code location} names it in messages. */
    static Map<String, String> parse(String location, String text) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(CommonConfigKeys.KAFKA_CONFIG_FILE.name(),
                    "'" + location + "' is not a properties file: " + e.getMessage());
        }
        Map<String, String> entries = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> entries.put(name, properties.getProperty(name).strip()));
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (String name : entries.keySet()) {
            String why = RESERVED.get(withoutStreamsPrefix(name));
            if (why != null) {
                problems.add(new ConfigException.Problem(CommonConfigKeys.KAFKA_CONFIG_FILE.name(), "'" + location
                        + "' sets " + name + ", which the pipeline sets itself (" + why + "); remove it"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return Map.copyOf(entries);
    }

    private static String withoutStreamsPrefix(String name) {
        for (String prefix : STREAMS_CLIENT_PREFIXES) {
            if (name.startsWith(prefix)) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }

    /** The value as it may be logged: JAAS configs, passwords, keys, secrets and tokens are masked. */
    public static String forDisplay(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean secret = n.contains("jaas") || n.contains("password") || n.contains("secret") || n.contains("token")
                || n.endsWith(".key") || n.contains("credentials") || n.contains("sasl.oauthbearer.assertion");
        if (secret) {
            return value.isEmpty() ? "" : Masking.MASK;
        }
        return Masking.maskUris(value);
    }
}
