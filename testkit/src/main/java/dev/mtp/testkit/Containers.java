package dev.mtp.testkit;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.utility.DockerImageName;

/** Real servers in Docker, for machines that have an engine but no local server. */
final class Containers {

    static final String REDIS_IMAGE = "redis:7.0";
    static final String MONGO_IMAGE = "mongo:8.0";
    private static final int REDIS_PORT = 6379;

    private Containers() {
    }

    static StartedServer startRedis() {
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        redis.start();
        return new StartedServer("redis://" + redis.getHost() + ":" + redis.getMappedPort(REDIS_PORT),
                "Testcontainers " + REDIS_IMAGE, redis);
    }

    static StartedServer startMongo() {
        MongoDBContainer mongo = new MongoDBContainer(DockerImageName.parse(MONGO_IMAGE));
        mongo.start();
        return new StartedServer(mongo.getConnectionString(), "Testcontainers " + MONGO_IMAGE, mongo);
    }
}
