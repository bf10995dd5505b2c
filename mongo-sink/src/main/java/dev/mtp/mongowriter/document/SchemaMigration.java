package dev.mtp.mongowriter.document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import dev.mtp.documents.Fields;
import org.bson.Document;

import java.util.Date;

/**
 * Brings stored documents up to {@link Fields#CURRENT_SCHEMA} before the writer consumes (docs/decisions/0009).
 * Schema 1 to 2: every sessions and interactions document gets the revision 1 (any value but 0, which means "no
 * document", would do: the writer reads it before it writes such a document), and every document says schema 2.
 *
 * <p>Each step matches only documents not migrated yet, so a migration cut short is finished by the next start,
 * and instances starting together do the same work twice, harmlessly. A marker in {@value #MARKERS} saves later
 * starts the scans. Writers of schema 1 must all be stopped first: their writes would not move a revision.
 */
public final class SchemaMigration {
    static final String MARKERS = "schemaMigrations";

    private SchemaMigration() {}

    /** What a start found and did. */
    public record Outcome(boolean alreadyDone, long sessions, long interactions, long evaluations) {
        @Override
        public String toString() {
            return alreadyDone
                    ? "documents are at schema " + Fields.CURRENT_SCHEMA
                    : "documents migrated to schema " + Fields.CURRENT_SCHEMA + ": " + sessions + " sessions, "
                    + interactions + " interactions, " + evaluations + " evaluations";
        }
    }

    public static Outcome run(MongoDatabase database) {
        MongoCollection<Document> markers = database.getCollection(MARKERS);
        String marker = "schema-" + Fields.CURRENT_SCHEMA;
        if (markers.find(Filters.eq(Fields.ID, marker)).first() != null) {
            return new Outcome(true, 0, 0, 0);
        }
        long sessions = withRevision(database.getCollection(Fields.SESSIONS));
        long interactions = withRevision(database.getCollection(Fields.INTERACTIONS));
        long evaluations = database.getCollection(Fields.EVALUATIONS)
                .updateMany(Filters.lt(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA),
                        Updates.set(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA))
                .getModifiedCount();
        markers.replaceOne(Filters.eq(Fields.ID, marker), new Document(Fields.ID, marker)
                        .append("completedAt", new Date())
                        .append("sessions", sessions).append("interactions", interactions).append("evaluations", evaluations),
                new ReplaceOptions().upsert(true));
        return new Outcome(false, sessions, interactions, evaluations);
    }

    private static long withRevision(MongoCollection<Document> collection) {
        return collection.updateMany(Filters.exists(Fields.REV, false), Updates.combine(
                        Updates.set(Fields.REV, 1L), Updates.set(Fields.SCHEMA_VERSION, Fields.CURRENT_SCHEMA)))
                .getModifiedCount();
    }
}
