package dev.mtp.common.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of one app, in a fixed order (the order of {@link Config#describe()} and {@link #markdown()}).
 * {@link #resolve} reads them all from a source at once and either returns a typed {@link Config} or throws a
 * {@link ConfigException} naming every problem: values that do not parse or break a rule, required keys that are
 * missing, and entries under the app's own prefixes that no key claims (typos such as {@code app.persistance.x}).
 *
 * <p>Keys of other apps of the pipeline ({@link CommonConfigKeys#ALL} by default) are tolerated, not reported, so
 * one config file or env file can serve every app.
 */
public final class ConfigTable {

    private final String appName;
    private final Map<String, ConfigKey<?>> keys;
    private final List<String> ownPrefixes;
    private final Set<String> knownNames;
    private final List<ConfigKey<?>> order;

    private ConfigTable(Builder b) {
        this.appName = b.appName;
        this.keys = Map.copyOf(b.keys);
        this.ownPrefixes = List.copyOf(b.ownPrefixes);
        Set<String> known = new LinkedHashSet<>(b.keys.keySet());
        known.addAll(b.knownElsewhere);
        this.knownNames = Set.copyOf(known);
        this.order = List.copyOf(b.keys.values());
    }

    public static Builder builder(String appName) {
        return new Builder(appName);
    }

    /** A table with the default own prefix ({@code app.}) and the pipeline's shared keys tolerated. */
    public static ConfigTable of(String appName, ConfigKey<?>... keys) {
        return builder(appName).add(keys).build();
    }

    public String appName() {
        return appName;
    }

    /** The keys in table order. */
    public List<ConfigKey<?>> keys() {
        return order;
    }

    public Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    public boolean contains(ConfigKey<?> key) {
        ConfigKey<?> declared = keys.get(key.name());
        return declared != null && declared.type() == key.type();
    }

    /** Dotted prefixes whose every entry must be a known key. */
    public List<String> ownPrefixes() {
        return ownPrefixes;
    }

    /** Reads and checks every key; reports all problems together. */
    public Config resolve(ConfigSource source) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<String, Config.Value> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : order) {
            Optional<ConfigSource.Found> found = source.lookup(key.name());
            if (found.isEmpty()) {
                switch (key.presence()) {
                    case REQUIRED -> problems.add(new ConfigException.Problem(key.name(),
                            "is required but not set (environment variable " + key.envName()
                                    + ", system property -D" + key.name() + " or config file key " + key.name() + ")"));
                    case DEFAULTED -> values.put(key.name(),
                            new Config.Value(key, key.defaultValue().orElseThrow(), "default"));
                    case OPTIONAL -> values.put(key.name(), new Config.Value(key, null, "unset"));
                }
                continue;
            }
            String raw = found.get().value();
            try {
                values.put(key.name(), new Config.Value(key, key.parse(raw), found.get().origin()));
            } catch (InvalidValueException e) {
                problems.add(new ConfigException.Problem(key.name(), "'" + Masking.forDisplay(key, raw) + "' "
                        + e.getMessage() + " (from " + found.get().origin() + ")"));
            }
        }
        for (ConfigSource.Unknown unknown : source.unknownEntries(ownPrefixes, knownNames)) {
            problems.add(new ConfigException.Problem(unknown.name(), "unknown key (from " + unknown.origin() + ")"
                    + unknown.suggestion().map(s -> ", did you mean " + s + "?").orElse("")));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(this, values);
    }

    /** The table as Markdown for a README: key, environment variable, default, description. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Key | Environment variable | Default | Description |\n");
        sb.append("|---|---|---|---|\n");
        for (ConfigKey<?> key : order) {
            sb.append("| `").append(key.name()).append("` | `").append(key.envName()).append("` | ")
                    .append(markdownDefault(key)).append(" | ").append(cell(describeForDocs(key))).append(" |\n");
        }
        return sb.toString();
    }

    private static String markdownDefault(ConfigKey<?> key) {
        return switch (key.presence()) {
            case REQUIRED -> "*required*";
            case OPTIONAL -> "*unset*";
            case DEFAULTED -> {
                String text = Masking.forDisplay(key, key.formatUnchecked(key.defaultValue().orElseThrow()));
                // GitHub tables split cells on '|' even inside code spans, unless it is escaped
                yield text.isEmpty() ? "*empty*" : "`" + text.replace("`", "'").replace("|", "\\|") + "`";
            }
        };
    }

    private static String describeForDocs(ConfigKey<?> key) {
        StringBuilder d = new StringBuilder(key.doc());
        if (!d.isEmpty() && !key.doc().endsWith(".")) {
            d.append('.');
        }
        if (!d.isEmpty()) {
            d.append(' ');
        }
        d.append('(').append(key.constraints());
        if (key.isSecret()) {
            d.append("; secret, masked in logs");
        }
        d.append(')');
        return d.toString();
    }

    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    @Override
    public String toString() {
        return "ConfigTable[" + appName + ", " + order.size() + " keys]";
    }

    /** Collects the keys of one app. */
    public static final class Builder {
        private final String appName;
        private final LinkedHashMap<String, ConfigKey<?>> keys = new LinkedHashMap<>();
        private final Map<String, String> envNames = new HashMap<>();
        private List<String> ownPrefixes = List.of("app.");
        private final Set<String> knownElsewhere = new LinkedHashSet<>();

        private Builder(String appName) {
            this.appName = Objects.requireNonNull(appName, "appName");
            CommonConfigKeys.ALL.forEach(k -> knownElsewhere.add(k.name()));
        }

        /** Adds keys in order. A name (or environment variable name) used twice is a programming error. */
        public Builder add(ConfigKey<?>... more) {
            return addAll(Arrays.asList(more));
        }

        public Builder addAll(Collection<? extends ConfigKey<?>> more) {
            for (ConfigKey<?> key : more) {
                Objects.requireNonNull(key, "key");
                if (keys.containsKey(key.name())) {
                    throw new IllegalArgumentException(appName + ": key " + key.name() + " is declared twice");
                }
                String clash = envNames.putIfAbsent(key.envName(), key.name());
                if (clash != null) {
                    throw new IllegalArgumentException(appName + ": keys " + clash + " and " + key.name()
                            + " both map to environment variable " + key.envName());
                }
                // NAME_FILE names a file holding NAME's value (ConfigSource.environment): it must not be a key too.
                String fileOf = envNames.get(key.envName() + ConfigSource.FILE_SUFFIX);
                String fileFor = key.envName().endsWith(ConfigSource.FILE_SUFFIX) ? envNames.get(
                        key.envName().substring(0, key.envName().length() - ConfigSource.FILE_SUFFIX.length())) : null;
                if (fileOf != null || fileFor != null) {
                    throw new IllegalArgumentException(appName + ": keys " + (fileOf != null ? fileOf : fileFor)
                            + " and " + key.name() + " clash: one's environment variable is the other's _FILE variable");
                }
                keys.put(key.name(), key);
            }
            return this;
        }

        /**
         * Dotted prefixes owned by this app (default {@code app.}): an entry under one of them that matches no key is
         * an error. Keep shared infrastructure prefixes ({@code kafka.}, {@code redis.}) out: Kubernetes injects
         * variables such as {@code REDIS_PORT} into every pod.
         */
        public Builder ownPrefixes(String... prefixes) {
            for (String p : prefixes) {
                if (!p.endsWith(".")) {
                    throw new IllegalArgumentException("prefix '" + p + "' must end with '.'");
                }
            }
            this.ownPrefixes = List.of(prefixes);
            return this;
        }

        /** Keys that other apps read: accepted in this app's sources without being reported as unknown. */
        public Builder knownElsewhere(Collection<? extends ConfigKey<?>> others) {
            others.forEach(k -> knownElsewhere.add(k.name()));
            return this;
        }

        public ConfigTable build() {
            return new ConfigTable(this);
        }
    }
}
