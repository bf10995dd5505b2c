package dev.mtp.chaos.run;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * The pipeline as {@code ./mtp up} runs it, every part its own process, with N instances of each app: a KRaft broker
 * and the MongoDB stand-in from the {@code embedded} jar, a private {@code redis-server}, and the apps from their
 * jars ({@code <app>/target/<app>-VERSION.jar} with {@code target/lib}). Nothing of theirs is loaded in this JVM.
 */
final class Stack implements AutoCloseable {

    static final String VERSION = "0.1.0-SNAPSHOT";
    static final String TOPIC_PREFIX = "mtp.";
    static final String CACHE_PREFIX = "mtp:";
    static final List<String> APPS = List.of("cache-writer", "mongo-writer", "shadow-reconciler", "ingest-api");
    private static final Map<String, String> MAINS = Map.of(
            "cache-writer", "dev.mtp.cachewriter.CacheWriterApp",
            "mongo-writer", "dev.mtp.mongowriter.MongoWriterApp",
            "shadow-reconciler", "dev.mtp.reconciler.ShadowReconcilerApp",
            "ingest-api", "dev.mtp.ingest.IngestApp");

    /**
     * The consumer groups' session timeout: how long a killed instance's partitions wait before they move. Kafka's
     * default (45 s) suits clusters where a pause of seconds is common; one machine under chaos load is measured with
     * 15 s, the figure docs/scale-out.md suggests where instances are restarted quickly.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(15);

    private final Path repo;
    private final Path runDir;
    private final Path consumerProperties;
    private final int partitions;
    private final int kafkaPort = freePort();
    private final int kafkaControllerPort = freePort();
    private final int redisPort = freePort();
    private final int mongoPort = freePort();
    final ChildProcess kafka;
    ChildProcess redis;
    final ChildProcess mongo;
    private final Map<String, List<Instance>> apps = new LinkedHashMap<>();
    private final List<Instance> ended = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One app instance: its process and ports. {@code httpPort} is 0 but for the ingest. */
    record Instance(String app, int index, ChildProcess process, int opsPort, int httpPort) {
        String name() {
            return app + "#" + index;
        }
    }

    Stack(Path repo, Path runDir, int partitions) {
        this.repo = repo;
        this.runDir = runDir;
        this.partitions = partitions;
        mkdirs(runDir.resolve("logs"));
        consumerProperties = write(runDir.resolve("consumer-kafka.properties"), "session.timeout.ms="
                + SESSION_TIMEOUT.toMillis() + "\nheartbeat.interval.ms=" + SESSION_TIMEOUT.toMillis() / 3 + "\n");
        kafka = java("kafka", serverClasspath(), "dev.mtp.embedded.KafkaBrokerMain", Map.of(), "-Xmx512m",
                "--data-dir", runDir.resolve("kafka").toString(), "--port", Integer.toString(kafkaPort),
                "--controller-port", Integer.toString(kafkaControllerPort));
        mongo = java("mongo", serverClasspath(), "dev.mtp.embedded.MongoStandInMain", Map.of(), "-Xmx768m",
                "--file", runDir.resolve("mongo/mtp.mv.db").toString(), "--port", Integer.toString(mongoPort));
        mkdirs(runDir.resolve("mongo"));
        redis = redisProcess();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + mongoPort;
    }

    void startServers(Duration timeout) {
        kafka.start();
        redis.start();
        mongo.start();
        await("kafka on port " + kafkaPort, timeout, () -> portOpen(kafkaPort), kafka);
        await("redis on port " + redisPort, timeout, () -> portOpen(redisPort), redis);
        await("the MongoDB stand-in on port " + mongoPort, timeout, () -> portOpen(mongoPort), mongo);
    }

    /** Creates the topics up front (so no two apps race to) and waits until every partition takes writes. */
    void createTopics(Duration timeout) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String role : List.of("sessions", "interactions", "evaluations", "deadletter")) {
                topics.add(new NewTopic(TOPIC_PREFIX + role + ".v1", partitions, (short) 1));
            }
            for (var f : admin.createTopics(topics).values().values()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create the topics: " + e.getCause().getMessage());
                    }
                }
            }
            // KAFKA-15591: the first idempotent produce right after creation can be lost until every partition answers.
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.forEach(t -> {
                for (int p = 0; p < partitions; p++) {
                    latest.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
                }
            });
            await("every partition answering", timeout, () -> {
                try {
                    admin.listOffsets(latest).all().get();
                    return true;
                } catch (ExecutionException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }, kafka);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
    }

    /** Starts one more instance of the app (not waiting for it). */
    Instance addInstance(String app) {
        List<Instance> list = apps.computeIfAbsent(app, a -> new ArrayList<>());
        int index = list.size() + ended.stream().filter(i -> i.app().equals(app)).mapToInt(i -> 1).sum() + 1;
        int opsPort = freePort();
        int httpPort = app.equals("ingest-api") ? freePort() : 0;
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("REDIS_URL", redisUrl());
        env.put("MONGODB_URI", mongoUri());
        env.put("APP_TOPICS_PARTITIONS", Integer.toString(partitions));
        env.put("OPS_PORT", Integer.toString(opsPort));
        env.put("LOG_FORMAT", "text");
        env.put("APP_LIFECYCLE_STARTUP_TIMEOUT_MS", "240000");
        if (!app.equals("ingest-api")) {
            env.put("KAFKA_CONFIG_FILE", consumerProperties.toString());
        }
        if (httpPort != 0) {
            env.put("HTTP_HOST", "127.0.0.1");
            env.put("HTTP_PORT", Integer.toString(httpPort));
        }
        if (app.equals("shadow-reconciler")) {
            env.put("APP_RECONCILER_STATE_DIR", runDir.resolve("reconciler-state-" + index).toString());
        }
        Path jar = repo.resolve(app).resolve("target").resolve(app + "-" + VERSION + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the apps first (./mtp build)");
        }
        ChildProcess process = java(app + "-" + index, jar + java.io.File.pathSeparator
                + repo.resolve(app).resolve("target/lib") + "/*", MAINS.get(app), env, "-Xmx320m");
        Instance instance = new Instance(app, index, process.start(), opsPort, httpPort);
        list.add(instance);
        return instance;
    }

    /** A file of this run's own (checkpoints and the like), in its directory. */
    Path file(String name) {
        return runDir.resolve(name);
    }

    /** Starts an ops-cli command against this stack (not waiting for it); its output goes to logs/NAME.log. */
    ChildProcess opsCli(String name, String... args) {
        Path jar = repo.resolve("ops-cli/target/ops-cli-" + VERSION + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the apps first (./mtp build)");
        }
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(), "REDIS_URL", redisUrl(),
                "MONGODB_URI", mongoUri(), "APP_TOPICS_PARTITIONS", Integer.toString(partitions), "LOG_FORMAT", "text");
        return java(name, jar + java.io.File.pathSeparator + repo.resolve("ops-cli/target/lib") + "/*",
                "dev.mtp.ops.OpsCli", env, "-Xmx256m", args).start();
    }

    /**
     * The sum over the app's running instances of one metric's series, from their Prometheus {@code /metrics}; an
     * instance that does not answer counts nothing.
     */
    double metricSum(String app, String metric) {
        double sum = 0;
        for (Instance instance : instances(app)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + instance.opsPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                for (String line : r.body().split("\n")) {
                    if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            } catch (IOException e) {
                // not answering: killed or starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return sum;
            }
        }
        return sum;
    }

    /** Stops the newest instance of the app with SIGTERM (a scale-in) and forgets it. */
    Instance removeNewest(String app) {
        List<Instance> list = apps.get(app);
        Instance last = list.remove(list.size() - 1);
        last.process().stop(Duration.ofSeconds(40));
        ended.add(last);
        return last;
    }

    List<Instance> instances(String app) {
        return apps.getOrDefault(app, List.of());
    }

    List<Instance> allInstances() {
        List<Instance> all = new ArrayList<>(ended);
        apps.values().forEach(all::addAll);
        return all;
    }

    void awaitReady(Instance instance, Duration timeout) {
        await(instance.name() + " ready", timeout, () -> ready(instance), instance.process());
    }

    boolean ready(Instance instance) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.opsPort()
                    + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills Redis and starts an empty one on the same port (no persistence: it comes back with nothing). */
    void restartRedisEmpty(Duration timeout) {
        redis.kill9();
        redis = redisProcess();
        redis.start();
        await("redis back on port " + redisPort, timeout, () -> portOpen(redisPort), redis);
    }

    void restart(ChildProcess server, int port, Duration timeout) {
        server.start();
        await(server.name + " back on port " + port, timeout, () -> portOpen(port), server);
    }

    int kafkaPort() {
        return kafkaPort;
    }

    int mongoPort() {
        return mongoPort;
    }

    List<ChildProcess> servers() {
        return List.of(kafka, redis, mongo);
    }

    @Override
    public void close() {
        List<Instance> running = new ArrayList<>();
        apps.values().forEach(running::addAll);
        running.forEach(i -> i.process().stop(Duration.ofSeconds(20)));
        redis.kill9();
        mongo.stop(Duration.ofSeconds(20));
        kafka.stop(Duration.ofSeconds(20));
    }

    private ChildProcess redisProcess() {
        return new ChildProcess("redis", List.of("redis-server", "--bind", "127.0.0.1", "--port",
                Integer.toString(redisPort), "--save", "", "--appendonly", "no"), Map.of(),
                runDir.resolve("logs/redis.log"));
    }

    private String serverClasspath() {
        Path target = repo.resolve("embedded/target");
        return target.resolve("embedded-" + VERSION + ".jar") + java.io.File.pathSeparator + target.resolve("lib") + "/*";
    }

    private ChildProcess java(String name, String classpath, String main, Map<String, String> env, String heap,
                              String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add(heap);
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(classpath);
        command.add(main);
        command.addAll(List.of(args));
        return new ChildProcess(name, command, env, runDir.resolve("logs/" + name + ".log"));
    }

    static void await(String what, Duration timeout, BooleanSupplier condition, ChildProcess process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (process != null && !process.alive()) {
                throw new IllegalStateException(process.name + " exited while waiting for " + what + "; see "
                        + process.log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + timeout.toSeconds() + " s"
                        + (process == null ? "" : "; see " + process.log()));
            }
            sleep(200);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
