package dev.mtp.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import dev.mtp.embedded.RedisServerProcess;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * What one test owns on the shared servers: Kafka topics and consumer groups under {@link #topicPrefix()}, Redis
 * keys under {@link #redisKeyPrefix()}, and the MongoDB database {@link #mongoDatabaseName()}. Clients are created on
 * first use and closed with the namespace; on close the namespace's topics, keys and database are deleted too, so
 * external servers ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code REDIS_URL}, {@code MONGODB_URI}) are left as found.
 *
 * <p>Injected by {@link RealServersExtension} as a test method parameter; not thread-safe beyond its accessors.
 */
public final class TestNamespace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestNamespace.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final SharedServers servers;
    private final String id;
    private Admin admin;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;
    private MongoClient mongoClient;
    private boolean usedKafka;
    private boolean usedRedis;
    private boolean usedMongo;
    private boolean closed;

    TestNamespace(SharedServers servers, String owner) {
        this.servers = servers;
        // Short, and valid as a topic, group, key and database name: a letter and 8 hex digits.
        this.id = "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        LOG.info("namespace {} for {}", id, owner);
    }

    /** {@code t} and 8 random hex digits, e.g. {@code t3f9a1c07}: the root of every name below. */
    public String id() {
        return id;
    }

    /** {@code <id>.}: every topic and consumer group of this test starts with it. */
    public String topicPrefix() {
        return id + ".";
    }

    /** The topic {@code name} of this test: {@code <id>.<name>}. */
    public String topic(String name) {
        return topicPrefix() + name;
    }

    /** The consumer group or Streams {@code application.id} {@code name} of this test: {@code <id>.<name>}. */
    public String group(String name) {
        return topicPrefix() + name;
    }

    /** {@code <id>:}: every Redis key of this test starts with it. */
    public String redisKeyPrefix() {
        return id + ":";
    }

    /** The Redis key {@code name} of this test: {@code <id>:<name>}. */
    public String redisKey(String name) {
        return redisKeyPrefix() + name;
    }

    /** This test's MongoDB database: {@link #id()}. */
    public String mongoDatabaseName() {
        return id;
    }

    /** {@code bootstrap.servers} of the shared Kafka; starts it on first use. */
    public String kafkaBootstrapServers() {
        usedKafka = true;
        return servers.kafkaBootstrapServers();
    }

    /** {@code redis://host:port} of the shared Redis; starts it on first use. */
    public String redisUrl() {
        usedRedis = true;
        return servers.redisUrl();
    }

    /** Connection string of the shared MongoDB, without a database; starts it on first use. */
    public String mongoUri() {
        usedMongo = true;
        return servers.mongoUri();
    }

    /**
     * The private redis-server child process, for fault tests that stop, restart or flush it; empty when Redis is
     * external ({@code REDIS_URL}) or a container. A test that stops it should start it again; if it does not, this
     * namespace does on close, so the next test finds Redis up.
     */
    public Optional<RedisServerProcess> redisServer() {
        usedRedis = true;
        return servers.redisServer();
    }

    /** An Admin client on the shared Kafka, closed with the namespace. */
    public Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers()));
        }
        return admin;
    }

    /**
     * Creates the topic {@link #topic(String) topic(name)} and waits until every partition answers
     * {@code ListOffsets}: before that, the first idempotent produce can fail with an out-of-order sequence and lose
     * its batch (KAFKA-15591, fixed in Kafka 4.5). Returns the full topic name.
     */
    public String createTopic(String name, int partitions) {
        String topic = topic(name);
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty());
        get(admin().createTopics(List.of(newTopic)).all(), "create topic " + topic);
        awaitTopicReady(topic);
        return topic;
    }

    /**
     * Waits until every partition of {@code topic} (a full name) answers {@code ListOffsets}: for topics that the
     * code under test creates, before producing to them (see {@link #createTopic(String, int)}).
     */
    public void awaitTopicReady(String topic) {
        await("topic " + topic + " ready for produce")
                .atMost(ADMIN_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    TopicDescription description = admin().describeTopics(List.of(topic)).allTopicNames()
                            .get(5, TimeUnit.SECONDS).get(topic);
                    Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, description.partitions().size())
                            .mapToObj(partition -> new TopicPartition(topic, partition))
                            .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
                    admin().listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                    return true;
                });
    }

    /** A Lettuce client on the shared Redis (sharing this JVM's event loops), closed with the namespace. */
    public RedisClient redisClient() {
        if (redisClient == null) {
            redisClient = RedisClient.create(servers.redisClientResources(), RedisURI.create(redisUrl()));
        }
        return redisClient;
    }

    /** One connection of {@link #redisClient()}, opened on first use; reconnects by itself after a restart. */
    public StatefulRedisConnection<String, String> redis() {
        if (redis == null) {
            redis = redisClient().connect();
        }
        return redis;
    }

    /** A MongoDB client on the shared server, closed with the namespace. */
    public MongoClient mongoClient() {
        if (mongoClient == null) {
            mongoClient = MongoClients.create(mongoUri());
        }
        return mongoClient;
    }

    /** This test's database, {@link #mongoDatabaseName()}, dropped when the namespace closes. */
    public MongoDatabase mongoDatabase() {
        return mongoClient().getDatabase(mongoDatabaseName());
    }

    /**
     * Deletes what this test left on the servers it used (its topics, its Redis keys, its database), starts the
     * private redis-server again if the test left it stopped, and closes the clients. Cleanup is best effort: a
     * failure is logged, not thrown, so it never hides the test's own result.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Runnable> steps = new ArrayList<>();
        if (usedRedis) {
            steps.add(this::restartRedisIfStopped);
            steps.add(this::deleteRedisKeys);
        }
        if (usedKafka) {
            steps.add(this::deleteTopics);
        }
        if (usedMongo) {
            steps.add(() -> mongoDatabase().drop());
        }
        // The clients are closed last and looked up only then: the cleanup above may have opened them.
        steps.add(() -> closeIfOpen(redis, StatefulRedisConnection::close));
        steps.add(() -> closeIfOpen(redisClient, client -> client.shutdown(Duration.ZERO, CLIENT_CLOSE_TIMEOUT)));
        steps.add(() -> closeIfOpen(admin, client -> client.close(CLIENT_CLOSE_TIMEOUT)));
        steps.add(() -> closeIfOpen(mongoClient, MongoClient::close));
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("cleanup of namespace {} incomplete", id, e);
            }
        }
    }

    @Override
    public String toString() {
        return "TestNamespace[" + id + "]";
    }

    private void restartRedisIfStopped() {
        servers.redisServer().filter(server -> !server.isRunning()).ifPresent(server -> {
            LOG.warn("namespace {}: the test left redis-server {} stopped; starting it for the next test", id,
                    server.url());
            server.start();
        });
    }

    private void deleteRedisKeys() {
        RedisCommands<String, String> commands = redis().sync();
        ScanArgs matchOurs = ScanArgs.Builder.matches(redisKeyPrefix() + "*").limit(1_000);
        KeyScanCursor<String> cursor = commands.scan(matchOurs);
        while (true) {
            if (!cursor.getKeys().isEmpty()) {
                commands.unlink(cursor.getKeys().toArray(String[]::new));
            }
            if (cursor.isFinished()) {
                return;
            }
            cursor = commands.scan(ScanCursor.of(cursor.getCursor()), matchOurs);
        }
    }

    private void deleteTopics() {
        List<String> ours = get(admin().listTopics().names(), "list topics").stream()
                .filter(topic -> topic.startsWith(topicPrefix()))
                .toList();
        if (!ours.isEmpty()) {
            get(admin().deleteTopics(ours).all(), "delete topics " + ours);
        }
    }

    private static <T> void closeIfOpen(T client, Consumer<T> close) {
        if (client != null) {
            close.accept(client);
        }
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " timed out after " + ADMIN_TIMEOUT, e);
        }
    }
}
