package dev.mtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;

@RealServers
class MongoIT {

    @Test
    void insertedDocumentIsFoundInTheNamespaceDatabase(TestNamespace ns) {
        MongoCollection<Document> sessions = ns.mongoDatabase().getCollection("sessions");
        sessions.insertOne(new Document("_id", "s1").append("status", "ACTIVE"));

        assertThat(ns.mongoDatabase().getName()).isEqualTo(ns.mongoDatabaseName());
        assertThat(sessions.find(Filters.eq("_id", "s1")).first()).containsEntry("status", "ACTIVE");
    }

    @Test
    void upsertInsertsThenUpdates(TestNamespace ns) {
        MongoCollection<Document> sessions = ns.mongoDatabase().getCollection("sessions");
        UpdateOptions upsert = new UpdateOptions().upsert(true);

        UpdateResult inserted = sessions.updateOne(Filters.eq("_id", "s2"),
                Updates.combine(Updates.set("status", "ACTIVE"), Updates.setOnInsert("createdBy", "test")), upsert);
        UpdateResult updated = sessions.updateOne(Filters.eq("_id", "s2"),
                Updates.combine(Updates.set("status", "CLOSED"), Updates.setOnInsert("createdBy", "other")), upsert);

        assertThat(inserted.getUpsertedId()).isNotNull();
        assertThat(updated.getModifiedCount()).isEqualTo(1);
        assertThat(sessions.find(Filters.eq("_id", "s2")).first())
                .containsEntry("status", "CLOSED")
                .containsEntry("createdBy", "test");
    }

    @Test
    void answersPing(TestNamespace ns) {
        Document pong = ns.mongoClient().getDatabase("admin").runCommand(new Document("ping", 1));
        assertThat(pong.get("ok")).isIn(1, 1.0);
    }
}
