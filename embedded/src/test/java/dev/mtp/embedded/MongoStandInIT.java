package dev.mtp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

class MongoStandInIT {

    @Test
    void memoryBackendServesTheRealDriverAndAnswersPingButNotHello() {
        try (MongoStandIn mongo = MongoStandIn.inMemory(0);
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            assertThat(mongo.connectionString()).isEqualTo("mongodb://127.0.0.1:" + mongo.port());
            MongoCollection<Document> docs = client.getDatabase("db").getCollection("docs");
            docs.insertOne(new Document("_id", "a").append("n", 1));
            assertThat(docs.find(new Document("_id", "a")).first()).containsEntry("n", 1);

            Document admin = new Document("ping", 1);
            assertThat(client.getDatabase("admin").runCommand(admin).get("ok")).isEqualTo(1.0);
            // Health checks must use ping: the stand-in does not know hello.
            assertThatThrownBy(() -> client.getDatabase("admin").runCommand(new Document("hello", 1)))
                    .isInstanceOf(MongoCommandException.class);
        }
    }

    @Test
    void h2FileKeepsDocumentsAcrossClose(@TempDir Path dir) {
        Path file = dir.resolve("nested/mongo.mv.db");
        try (MongoStandIn mongo = MongoStandIn.h2File(file, 0);
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            client.getDatabase("db").getCollection("docs").insertOne(new Document("_id", "kept"));
        }
        try (MongoStandIn mongo = MongoStandIn.h2File(file, 0);
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            assertThat(client.getDatabase("db").getCollection("docs").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void closeFreesThePort() {
        MongoStandIn mongo = MongoStandIn.inMemory(0);
        mongo.close();
        assertThat(FreePorts.isListening(mongo.port())).isFalse();
    }
}
