package dev.mtp.runtime.config;

import dev.mtp.common.config.ConfigException;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values read from the files that {@code <NAME>_FILE} environment variables name, the Docker and Kubernetes
 * secrets convention: {@code REDIS_URL_FILE=/run/secrets/redis-url} gives {@code redis.url} the file's content,
 * without its trailing line break. Setting both {@code NAME} and {@code NAME_FILE} is refused rather than
 * guessed at. Layered just above the environment, so system properties still win.
 */
final class SecretFileSource implements ConfigSource {

    private final Map<String, String> environment;

    SecretFileSource(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Optional<Found> lookup(String key) {
        String envName = ConfigKey.envName(key);
        String fileVariable = envName + FILE_SUFFIX;
        String location = environment.get(fileVariable);
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        String plain = environment.get(envName);
        if (plain != null && !plain.isBlank()) {
            throw new ConfigException(key, "both environment variables " + envName + " and " + fileVariable
                    + " are set; set one of them");
        }
        String origin = "file " + location.strip() + " (environment variable " + fileVariable + ")";
        String value;
        try {
            value = Files.readString(Path.of(location.strip()), StandardCharsets.UTF_8).strip();
        } catch (IOException | InvalidPathException e) {
            throw new ConfigException(key, "cannot read " + origin + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        if (value.isEmpty()) {
            throw new ConfigException(key, "is empty in " + origin);
        }
        return Optional.of(new Found(value, origin));
    }

    /** The environment source reports unknown {@code _FILE} variables; nothing to add here. */
    @Override
    public List<Unknown> unknownEntries(Collection<String> ownPrefixes, Collection<String> knownKeys) {
        return List.of();
    }
}
