package dev.mtp.mongostore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.incarnation.IncarnationRegistry;
import dev.mtp.common.incarnation.Registration;
import org.bson.Document;

import java.util.Date;
import java.util.Optional;

/** The incarnation registry in MongoDB: one document per topic in the collection {@code incarnations}. */
public final class MongoIncarnationRegistry implements IncarnationRegistry {

    public static final String COLLECTION = "incarnations";

    private final MongoCollection<Document> collection;

    public MongoIncarnationRegistry(MongoDatabase database) {
        this.collection = database.getCollection(COLLECTION);
    }

    @Override
    public String store() {
        return "mongodb";
    }

    @Override
    public Optional<Registration> read(String topic) {
        Document d = collection.find(Filters.eq("_id", topic)).first();
        if (d == null) {
            return Optional.empty();
        }
        return Optional.of(new Registration(Incarnation.parse(d.getString("incarnation")), d.getString("clusterId"),
                d.getDate("since").toInstant(), d.getString("app")));
    }

    @Override
    public void register(String topic, Registration r) {
        collection.replaceOne(Filters.eq("_id", topic), new Document("_id", topic)
                .append("incarnation", r.incarnation().tag()).append("clusterId", r.clusterId())
                .append("since", Date.from(r.since())).append("app", r.app()), new ReplaceOptions().upsert(true));
    }
}
