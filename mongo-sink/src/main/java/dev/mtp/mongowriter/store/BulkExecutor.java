package dev.mtp.mongowriter.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.WriteModel;
import dev.mtp.documents.Fields;
import dev.mtp.mongowriter.write.PlannedWrite;
import dev.mtp.mongowriter.write.Target;
import dev.mtp.mongostore.CachedCodecRegistry;
import org.bson.Document;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writer's calls on MongoDB: one unordered bulk write of planned writes, whose error indexes are mapped back to
 * their writes (mongo-kafka style), and the reads that resolve lost compare-and-sets.
 */
final class BulkExecutor {

    enum Status { UPSERTED, MATCHED, CONFLICT, REJECTED }

    /** What became of one planned write; the error of a rejected one. */
    record Outcome(PlannedWrite write, Status status, Throwable error) {}

    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final Map<Target, MongoCollection<Document>> collections = new EnumMap<>(Target.class);
    private final WriterMetrics metrics;

    BulkExecutor(MongoDatabase database, WriteConcern writeConcern, WriterMetrics metrics) {
        CachedCodecRegistry codecs = new CachedCodecRegistry();
        for (Target target : Target.values()) {
            collections.put(target, database.getCollection(target.collection()).withWriteConcern(writeConcern)
                    .withCodecRegistry(codecs));
        }
        this.metrics = metrics;
    }

    /**
     * One unordered bulk write; the outcomes in write order. A lost version guard is a conflict, a data error
     * rejects its write; any other error, or a write concern error, is thrown for the whole batch.
     */
    List<Outcome> execute(Target target, List<PlannedWrite> writes) {
        List<WriteModel<Document>> models = new ArrayList<>(writes.size());
        for (PlannedWrite w : writes) {
            models.add(w.model());
            metrics.write(w.kind());
        }
        Set<Integer> upserted = new HashSet<>();
        Map<Integer, BulkWriteError> errors = new HashMap<>();
        long start = System.nanoTime();
        try {
            BulkWriteResult result = collections.get(target).bulkWrite(models, UNORDERED);
            result.getUpserts().stream().map(BulkWriteUpsert::getIndex).forEach(upserted::add);
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null) {
                throw e; // applied but maybe not durable: the loop retries the batch
            }
            for (BulkWriteError error : e.getWriteErrors()) {
                if (MongoErrors.classify(error.getCode()) == MongoErrors.WriteErrorKind.OTHER) {
                    throw e; // transient or fatal: MongoErrors decides for the whole batch
                }
                errors.put(error.getIndex(), error);
            }
            e.getWriteResult().getUpserts().stream().map(BulkWriteUpsert::getIndex).forEach(upserted::add);
        } finally {
            metrics.bulk(target, writes.size(), Duration.ofNanos(System.nanoTime() - start));
        }
        List<Outcome> outcomes = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            BulkWriteError error = errors.get(i);
            if (error == null) {
                outcomes.add(new Outcome(writes.get(i), upserted.contains(i) ? Status.UPSERTED : Status.MATCHED, null));
            } else if (MongoErrors.classify(error.getCode()) == MongoErrors.WriteErrorKind.CONFLICT) {
                outcomes.add(new Outcome(writes.get(i), Status.CONFLICT, null));
            } else {
                outcomes.add(new Outcome(writes.get(i), Status.REJECTED,
                        new DocumentRejectedException("MongoDB refused the " + target.collection() + " document "
                                + writes.get(i).id() + ": " + error.getMessage(), error.getCode())));
            }
        }
        return outcomes;
    }

    /** The stored revision, versions and deletion time of some documents, by id: one query on {@code _id} alone. */
    Map<String, Document> versions(Target target, Collection<String> ids) {
        return find(target, ids, Fields.REV, Fields.VERSIONS, Fields.DELETED_AT);
    }

    /** The source of some evaluation documents, by id. */
    Map<String, Document> evaluationSources(Collection<String> ids) {
        return find(Target.EVALUATIONS, ids, Fields.SOURCE);
    }

    private Map<String, Document> find(Target target, Collection<String> ids, String... fields) {
        Map<String, Document> stored = new HashMap<>();
        collections.get(target).find(Filters.in(Fields.ID, ids)).projection(Projections.include(fields))
                .forEach(doc -> stored.put(doc.getString(Fields.ID), doc));
        return stored;
    }
}
