package dev.mtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@RealServers
class NamespaceIT {

    private static final Set<String> SEEN_IDS = ConcurrentHashMap.newKeySet();
    private TestNamespace fromBeforeEach;

    @BeforeEach
    void keep(TestNamespace ns) {
        fromBeforeEach = ns;
    }

    @RepeatedTest(2)
    void everyTestGetsItsOwnNamespace(TestNamespace ns) {
        assertThat(SEEN_IDS.add(ns.id())).as("id %s seen before", ns.id()).isTrue();
    }

    @AfterAll
    static void twoTestsSawTwoNamespaces() {
        assertThat(SEEN_IDS).hasSize(2);
    }

    @Test
    void beforeEachAndTheTestShareOne(TestNamespace ns) {
        assertThat(fromBeforeEach).isSameAs(ns);
    }

    @Test
    void namesDeriveFromTheId(TestNamespace ns) {
        assertThat(ns.id()).matches("t[0-9a-f]{8}");
        assertThat(ns.topic("sessions")).isEqualTo(ns.id() + ".sessions");
        assertThat(ns.group("cache-writer")).isEqualTo(ns.id() + ".cache-writer");
        assertThat(ns.redisKey("session:1")).isEqualTo(ns.id() + ":session:1");
        assertThat(ns.mongoDatabaseName()).isEqualTo(ns.id());
    }

    @Test
    void closingANamespaceDeletesItsTopicsKeysAndDatabase(TestNamespace ns) throws Exception {
        // A second namespace on the same servers, closed here rather than by the extension.
        SharedServers sameServers = new SharedServers(Map.of(
                SharedServers.KAFKA_ENV, ns.kafkaBootstrapServers(),
                SharedServers.REDIS_ENV, ns.redisUrl(),
                SharedServers.MONGODB_ENV, ns.mongoUri())::get);
        String topic;
        String key;
        String database;
        try (TestNamespace other = new TestNamespace(sameServers, "NamespaceIT.other")) {
            topic = other.createTopic("doomed", 1);
            key = other.redisKey("doomed");
            other.redis().sync().set(key, "v");
            database = other.mongoDatabaseName();
            other.mongoDatabase().getCollection("docs").insertOne(new Document("_id", 1));
            ns.redis().sync().set(ns.redisKey("kept"), "v");
        }
        sameServers.close();

        assertThat(ns.admin().listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain(topic);
        assertThat(ns.redis().sync().exists(key)).isZero();
        assertThat(ns.redis().sync().exists(ns.redisKey("kept"))).isOne();
        assertThat(ns.mongoClient().listDatabaseNames().into(new ArrayList<>())).doesNotContain(database);
    }

    @Test
    void mongoDatabaseIsUsableWithoutSetup(TestNamespace ns) {
        ns.mongoDatabase().getCollection("c").insertOne(new Document("k", "v"));
        assertThat(ns.mongoDatabase().getCollection("c").countDocuments()).isOne();
    }
}
