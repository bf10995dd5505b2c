package dev.mtp.runtime.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigException;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * Reads the optional config file into dotted keys. YAML ({@code .yaml}, {@code .yml}) nested mappings flatten to
 * dotted keys, so the seed's block works as written:
 *
 * <pre>
 * app:
 *   sync:
 *     async-timeout-ms: 2000      →  app.sync.async-timeout-ms=2000
 * </pre>
 *
 * A list of scalars becomes a comma-separated value ({@code servers: [k1:9092, k2:9092]}); a {@code null} value
 * counts as unset. {@code .properties} files are read as UTF-8. Any problem is a {@link ConfigException} on
 * {@code app.config-file}.
 */
public final class ConfigFiles {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigFiles() {}

    /** Reads and flattens a config file; {@code origin} says where its name came from, for messages. */
    public static Map<String, String> read(Path file, String origin) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw problem("file " + file + " does not exist (from " + origin + ")");
        } catch (IOException e) {
            throw problem("cannot read file " + file + ": " + e.getMessage() + " (from " + origin + ")");
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return parseYaml(text, file.toString());
        }
        if (name.endsWith(".properties")) {
            return parseProperties(text, file.toString());
        }
        throw problem("file " + file + " must end in .yaml, .yml or .properties (from " + origin + ")");
    }

    /** Flattens YAML text to dotted keys. */
    public static Map<String, String> parseYaml(String text, String location) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw problem("file " + location + " is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw problem("file " + location + " must be a YAML mapping of settings, not a " + kind(root));
        }
        flatten("", root, out, location);
        return out;
    }

    /** Reads {@code .properties} text; keys are used as written. */
    public static Map<String, String> parseProperties(String text, String location) {
        Properties p = new Properties();
        try (Reader r = new StringReader(text)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw problem("file " + location + " is not a valid properties file: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k.strip(), p.getProperty(k)));
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, String location) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, out, location);
                continue;
            }
            String text;
            if (value.isNull()) {
                continue;
            } else if (value.isArray()) {
                StringJoiner joined = new StringJoiner(",");
                for (JsonNode item : value) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw problem("file " + location + ": " + key + " is a list of " + kind(item)
                                + "s; only lists of plain values are supported");
                    }
                    joined.add(item.asText());
                }
                text = joined.toString();
            } else {
                text = value.asText();
            }
            if (out.putIfAbsent(key, text) != null) {
                throw problem("file " + location + " sets " + key + " twice (once nested, once dotted)");
            }
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "list";
            case OBJECT -> "mapping";
            case NULL -> "null";
            default -> "scalar";
        };
    }

    private static ConfigException problem(String message) {
        return new ConfigException(CommonConfigKeys.CONFIG_FILE.name(), message);
    }
}
