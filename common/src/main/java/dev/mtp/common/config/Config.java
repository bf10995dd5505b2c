package dev.mtp.common.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved, validated settings of one app. Values are read with the key that declares them:
 * {@code config.get(CommonConfigKeys.REDIS_URL)}. Keys are matched by name, so a shared key whose default an app
 * changed ({@link CommonConfigKeys#opsPort(int)}) is read with the shared constant as well.
 */
public final class Config {

    /** One resolved key: the parsed value (null for an unset optional key) and where it came from. */
    record Value(ConfigKey<?> key, Object value, String origin) {}

    /** One line of the effective config, value already masked. */
    public record Entry(String key, String value, String origin) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    private final ConfigTable table;
    private final Map<String, Value> values;

    Config(ConfigTable table, Map<String, Value> values) {
        this.table = table;
        this.values = values;
    }

    public String appName() {
        return table.appName();
    }

    public ConfigTable table() {
        return table;
    }

    /**
     * The value of a key with a default or a required key.
     *
     * @throws IllegalArgumentException if the app's table does not declare the key (a programming error)
     * @throws IllegalStateException    if the key is optional and unset; use {@link #find} for those
     */
    public <T> T get(ConfigKey<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException(
                key.name() + " is optional and unset; read it with Config.find"));
    }

    /** The value of a key, empty only when an optional key is unset. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(ConfigKey<T> key) {
        Value v = values.get(key.name());
        if (v == null || v.key().type() != key.type()) {
            throw new IllegalArgumentException(key.name() + " (" + key.typeLabel() + ") is not a key of "
                    + table.appName() + "'s config table");
        }
        return Optional.ofNullable((T) v.value());
    }

    /** Where the value came from: "default", "unset", "environment variable X", "system property x", "x in file f". */
    public String origin(ConfigKey<?> key) {
        find(key); // validates the key
        return values.get(key.name()).origin();
    }

    /** The effective config in table order, secrets and URI passwords masked. */
    public List<Entry> entries() {
        return values.values().stream()
                .map(v -> new Entry(v.key().name(),
                        v.value() == null ? "" : Masking.forDisplay(v.key(), v.key().formatUnchecked(v.value())),
                        v.origin()))
                .toList();
    }

    /** The effective config as {@code key=value} lines in table order, masked; safe to log. */
    public List<String> describe() {
        return entries().stream().map(Entry::toString).toList();
    }

    @Override
    public String toString() {
        return "Config[" + table.appName() + "]" + describe();
    }
}
