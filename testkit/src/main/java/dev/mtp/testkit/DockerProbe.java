package dev.mtp.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.testcontainers.DockerClientFactory;

/**
 * Whether Testcontainers can use a Docker engine. Testcontainers' own probe tries every strategy and logs a page of
 * errors when none works; a quick look for a configured host or a socket first spares that (and its seconds) where
 * no engine can exist.
 */
final class DockerProbe {

    private DockerProbe() {
    }

    static boolean isDockerAvailable(Function<String, String> env) {
        return engineConfigured(env) && DockerClientFactory.instance().isDockerAvailable();
    }

    /** A Docker host setting, a Testcontainers configuration file, or one of the usual engine sockets exists. */
    static boolean engineConfigured(Function<String, String> env) {
        if (isSet(env.apply("DOCKER_HOST")) || isSet(env.apply("TESTCONTAINERS_HOST_OVERRIDE"))) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        String runtimeDir = env.apply("XDG_RUNTIME_DIR");
        List<Path> candidates = List.of(
                Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".testcontainers.properties"),
                isSet(runtimeDir) ? Path.of(runtimeDir, "docker.sock") : Path.of("/run/user/0/docker.sock"),
                isSet(runtimeDir) ? Path.of(runtimeDir, "podman/podman.sock") : Path.of("/run/podman/podman.sock"));
        return candidates.stream().anyMatch(Files::exists);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
