package dev.mtp.cachestore;

import dev.mtp.embedded.RedisServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A three-master Redis Cluster of local redis-server processes (no replicas), for tests. Each node is a
 * {@link RedisServerProcess} (so it dies with the JVM) started through a wrapper that adds the cluster options;
 * {@code redis-cli --cluster create} assigns the slots.
 */
public final class LocalRedisCluster implements AutoCloseable {

    private final Path dir;
    private final List<RedisServerProcess> nodes;

    private LocalRedisCluster(Path dir, List<RedisServerProcess> nodes) {
        this.dir = dir;
        this.nodes = nodes;
    }

    public static LocalRedisCluster start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("mtp-redis-cluster-");
            Path wrapper = dir.resolve("redis-server-cluster");
            String server = RedisServerProcess.findBinary().orElseThrow(() -> new IllegalStateException(
                    "no redis-server on this machine")).toString();
            Files.writeString(wrapper, "#!/bin/sh\nexec " + server
                    + " \"$@\" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000\n",
                    StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<RedisServerProcess> nodes = new ArrayList<>();
            LocalRedisCluster cluster = new LocalRedisCluster(dir, nodes);
            try {
                for (int i = 0; i < 3; i++) {
                    nodes.add(RedisServerProcess.builder().binary(wrapper).dir(dir.resolve("node" + i)).start());
                }
                cluster.create();
                return cluster;
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed URI: any node; the client discovers the rest. */
    public URI seed() {
        return URI.create(nodes.get(0).url());
    }

    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        run(command, Duration.ofSeconds(60));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (RedisServerProcess node : nodes) {
            while (!run(List.of("redis-cli", "-p", Integer.toString(node.port()), "cluster", "info"),
                    Duration.ofSeconds(10)).contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cluster not ok on port " + node.port());
                }
                sleep(100);
            }
        }
    }

    private String run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }
}
