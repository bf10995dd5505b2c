package dev.mtp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/** The mains as {@code ./mtp up} runs them: own JVM, fixed ports, SIGTERM to stop, data kept for the next start. */
class StandaloneMainsIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** What a JVM stopped by SIGTERM reports once its shutdown hooks ran. */
    private static final int SIGTERM_EXIT = 143;

    /** Restarts on a kept data directory are covered in-process by {@link EmbeddedKafkaBrokerIT}. */
    @Test
    void kafkaBrokerServesUntilSigtermThenStopsCleanly(@TempDir Path dir) throws Exception {
        int[] ports = FreePorts.pick(2);
        String bootstrap = "127.0.0.1:" + ports[0];
        try (ChildJvm kafka = ChildJvm.start(KafkaBrokerMain.class, dir.resolve("kafka.log"),
                "--data-dir", dir.resolve("kafka").toString(), "--port", Integer.toString(ports[0]),
                "--controller-port", Integer.toString(ports[1]))) {
            kafka.awaitLine("Kafka broker " + bootstrap + " ready", START_TIMEOUT);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("served", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            }

            assertThat(kafka.terminate(STOP_TIMEOUT)).isEqualTo(SIGTERM_EXIT);
            assertThat(kafka.lines()).anyMatch(line -> line.contains("Kafka broker " + bootstrap + " stopped"));
        }
        assertThat(FreePorts.isListening(ports[0])).isFalse();
        assertThat(dir.resolve("kafka/kraft/meta.properties")).exists();
    }

    @Test
    void mongoStandInKeepsDocumentsAcrossSigtermAndRestart(@TempDir Path dir) throws Exception {
        int port = FreePorts.pick();
        String[] args = {"--file", dir.resolve("mongo/mtp.mv.db").toString(), "--port", Integer.toString(port)};
        String uri = "mongodb://127.0.0.1:" + port;
        try (ChildJvm mongo = ChildJvm.start(MongoStandInMain.class, dir.resolve("first.log"), args)) {
            mongo.awaitLine("MongoDB stand-in " + uri + " ready", START_TIMEOUT);
            try (MongoClient client = MongoClients.create(uri)) {
                client.getDatabase("db").getCollection("docs").insertOne(new Document("_id", "last-write"));
            }
            assertThat(mongo.terminate(STOP_TIMEOUT)).isEqualTo(SIGTERM_EXIT);
        }
        assertThat(dir.resolve("mongo/mtp.mv.db")).exists();
        try (ChildJvm mongo = ChildJvm.start(MongoStandInMain.class, dir.resolve("second.log"), args)) {
            mongo.awaitLine("MongoDB stand-in " + uri + " ready", START_TIMEOUT);
            try (MongoClient client = MongoClients.create(uri)) {
                assertThat(client.getDatabase("db").getCollection("docs").countDocuments()).isEqualTo(1);
            }
            assertThat(mongo.terminate(STOP_TIMEOUT)).isEqualTo(SIGTERM_EXIT);
        }
    }

    @Test
    void unknownOptionExitsWithUsage(@TempDir Path dir) throws Exception {
        try (ChildJvm kafka = ChildJvm.start(KafkaBrokerMain.class, dir.resolve("usage.log"), "--prot", "9092")) {
            kafka.awaitLine("unknown option --prot", START_TIMEOUT);
            assertThat(kafka.awaitExit(STOP_TIMEOUT)).isEqualTo(2);
            assertThat(kafka.lines()).anyMatch(line -> line.contains("--data-dir"));
        }
    }
}
