package dev.mtp.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.MongoStandIn;
import dev.mtp.embedded.RedisServerProcess;
import io.lettuce.core.resource.ClientResources;

/**
 * The Kafka, Redis and MongoDB that every test of this JVM uses. Each is found or started on first use, so a
 * module whose tests never touch Kafka never starts a broker; what this JVM started is stopped by {@link #close()},
 * in reverse order.
 */
final class SharedServers implements AutoCloseable {

    static final String KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    static final String REDIS_ENV = "REDIS_URL";
    static final String MONGODB_ENV = "MONGODB_URI";

    private static final Logger LOG = LoggerFactory.getLogger(SharedServers.class);

    private final Function<String, String> env;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private String kafkaBootstrapServers;
    private String redisUrl;
    private RedisServerProcess redisServer;
    private String mongoUri;
    private ClientResources redisClientResources;
    private Boolean dockerAvailable;
    private boolean closed;

    SharedServers(Function<String, String> env) {
        this.env = env;
    }

    static SharedServers fromEnvironment() {
        return new SharedServers(System::getenv);
    }

    synchronized String kafkaBootstrapServers() {
        ensureOpen();
        if (kafkaBootstrapServers == null) {
            kafkaBootstrapServers = provision("Kafka", KAFKA_ENV, () -> {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
                return new StartedServer(broker.bootstrapServers(), "in-process KRaft broker", broker);
            });
        }
        return kafkaBootstrapServers;
    }

    synchronized String redisUrl() {
        ensureOpen();
        if (redisUrl == null) {
            redisUrl = provision("Redis", REDIS_ENV, this::startRedis);
        }
        return redisUrl;
    }

    /** The redis-server child process, when this JVM started one; empty for {@code REDIS_URL} or a container. */
    synchronized Optional<RedisServerProcess> redisServer() {
        redisUrl();
        return Optional.ofNullable(redisServer);
    }

    synchronized String mongoUri() {
        ensureOpen();
        if (mongoUri == null) {
            mongoUri = provision("MongoDB", MONGODB_ENV, this::startMongo);
        }
        return mongoUri;
    }

    /** Lettuce's event loops and timers, shared by the clients of all namespaces: creating them costs ~100 ms. */
    synchronized ClientResources redisClientResources() {
        ensureOpen();
        if (redisClientResources == null) {
            ClientResources resources = ClientResources.create();
            owned.push(() -> resources.shutdown(0, 2, TimeUnit.SECONDS).get());
            redisClientResources = resources;
        }
        return redisClientResources;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        while (!owned.isEmpty()) {
            AutoCloseable resource = owned.pop();
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the test servers failed");
                }
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private StartedServer startRedis() {
        if (RedisServerProcess.findBinary().isPresent()) {
            redisServer = RedisServerProcess.builder().start();
            return new StartedServer(redisServer.url(), "private redis-server child process", redisServer);
        }
        if (dockerAvailable()) {
            return Containers.startRedis();
        }
        throw new IllegalStateException("no Redis for the tests: set " + REDIS_ENV + " (e.g. redis://127.0.0.1:6379),"
                + " install redis-server (apt-get install redis-server) or run a Docker engine");
    }

    private StartedServer startMongo() {
        if (dockerAvailable()) {
            return Containers.startMongo();
        }
        MongoStandIn standIn = MongoStandIn.inMemory(0);
        return new StartedServer(standIn.connectionString(), "in-process mongo-java-server stand-in, no Docker engine",
                standIn);
    }

    private boolean dockerAvailable() {
        if (dockerAvailable == null) {
            dockerAvailable = DockerProbe.isDockerAvailable(env);
        }
        return dockerAvailable;
    }

    /** The address from {@code envName} if set, else a server started here and stopped by {@link #close()}. */
    private String provision(String server, String envName, Supplier<StartedServer> start) {
        String external = env.apply(envName);
        if (external != null && !external.isBlank()) {
            LOG.info("{} for tests: {} (external, from {})", server, external.strip(), envName);
            return external.strip();
        }
        long begin = System.nanoTime();
        StartedServer started = start.get();
        owned.push(started.stopper());
        LOG.info("{} for tests: {} ({}, started in {} ms)", server, started.address(), started.origin(),
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
        return started.address();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the test servers of this JVM are already stopped");
        }
    }
}
