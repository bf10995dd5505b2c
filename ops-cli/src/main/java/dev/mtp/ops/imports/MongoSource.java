package dev.mtp.ops.imports;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A collection of the old system's MongoDB, read in {@code _id} order. The position is the last {@code _id} read, as
 * extended JSON, so a resumed run reads what comes after it even if documents were added or removed meanwhile.
 */
public final class MongoSource implements ImportSource {

    private static final String ID = "_id";

    private final MongoCollection<Document> collection;
    private final MongoCursor<Document> cursor;
    private final long size;
    private String position;

    public MongoSource(MongoCollection<Document> collection, String position) {
        this.collection = collection;
        this.position = position;
        Bson after = position == null ? new Document() : Filters.gt(ID, Document.parse(position).get(ID));
        this.size = collection.countDocuments();
        this.cursor = collection.find(after).sort(Sorts.ascending(ID)).batchSize(1_000).iterator();
    }

    @Override
    public String describe() {
        return collection.getNamespace().getFullName();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SourceRecord next() {
        if (!cursor.hasNext()) {
            return null;
        }
        Document doc = cursor.next();
        position = new Document(ID, doc.get(ID)).toJson();
        return SourceRecord.read(collection.getNamespace().getCollectionName() + "/" + PlainValues.of(doc.get(ID)),
                PlainValues.record(doc), doc.toJson());
    }

    @Override
    public String position() {
        return position;
    }

    @Override
    public void close() {
        cursor.close();
    }
}
