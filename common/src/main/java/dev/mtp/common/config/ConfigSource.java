package dev.mtp.common.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where raw values come from. Pure: implementations wrap maps that the runtime module reads from system properties,
 * the environment and a config file. Sources are layered with {@link #layered}; the first that sets a key wins.
 */
public interface ConfigSource {

    /** A raw value and where it came from, e.g. "environment variable REDIS_URL". */
    record Found(String value, String origin) {}

    /** An entry that no known key claims, spelled as the source spells it, with the closest known key if any. */
    record Unknown(String name, String origin, Optional<String> suggestion) {}

    /** The raw value this source gives the dotted key {@code key}, if it sets it to a non-blank value. */
    Optional<Found> lookup(String key);

    /**
     * Entries that look like settings of this app but match no known key: those under one of {@code ownPrefixes}
     * (dotted, e.g. {@code "app."}), or every entry for a source that belongs to the app alone (a config file).
     *
     * @param knownKeys dotted names of every key the app accepts
     */
    List<Unknown> unknownEntries(Collection<String> ownPrefixes, Collection<String> knownKeys);

    // ---------------------------------------------------------------- factories

    /** JVM system properties ({@code -Dapp.sync.async-timeout-ms=500}); only entries under the app's prefixes are checked. */
    static ConfigSource systemProperties(Map<String, String> properties) {
        return new MapConfigSource(properties, k -> k, n -> "system property " + n, false, "");
    }

    /**
     * Environment variables, looked up by {@link ConfigKey#envName(String)}; only variables under the app's prefixes
     * ({@code APP_...}) are checked, since the environment holds much else (Kubernetes injects {@code REDIS_PORT}...).
     * {@code <NAME>_FILE} of a known key is accepted too: the runtime module reads the value from that file (the
     * Docker and Kubernetes secrets convention).
     */
    static ConfigSource environment(Map<String, String> environment) {
        return new MapConfigSource(environment, ConfigKey::envName, n -> "environment variable " + n, false,
                FILE_SUFFIX);
    }

    /** Suffix of the environment variable that names a file holding a key's value: {@code REDIS_URL_FILE}. */
    String FILE_SUFFIX = "_FILE";

    /** A config file already flattened to dotted keys. Every entry is checked: a file belongs to the app alone. */
    static ConfigSource file(String location, Map<String, String> entries) {
        return new MapConfigSource(entries, k -> k, n -> n + " in file " + location, true, "");
    }

    /** Any map of dotted keys, e.g. in tests; {@code name} is used in messages ("test settings app.x"). */
    static ConfigSource of(String name, Map<String, String> entries) {
        return new MapConfigSource(entries, k -> k, n -> name + " " + n, false, "");
    }

    /** No values at all: every key takes its default. */
    static ConfigSource empty() {
        return of("none", Map.of());
    }

    /** Sources in precedence order, highest first. */
    static ConfigSource layered(ConfigSource... highestFirst) {
        return new LayeredConfigSource(List.of(highestFirst));
    }

    /** Sources in precedence order, highest first. */
    static ConfigSource layered(List<? extends ConfigSource> highestFirst) {
        return new LayeredConfigSource(List.copyOf(highestFirst));
    }
}
