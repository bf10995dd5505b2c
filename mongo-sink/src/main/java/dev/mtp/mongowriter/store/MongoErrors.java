package dev.mtp.mongowriter.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import dev.mtp.runtime.consume.ErrorClassifier;

import java.util.Set;

/**
 * The one place that decides what a MongoDB failure means (Debezium style: walk the cause chain once):
 * <ul>
 *   <li>{@link WriteErrorKind#CONFLICT}: E11000 on a version-guarded upsert: the guard lost; the writer reads the
 *       stored version and resolves (stale, duplicate or a concurrent insert). Never an error.</li>
 *   <li>{@link WriteErrorKind#DATA}: the server refuses this document (too large, invalid field, ...): retrying
 *       cannot help, so its records go to the dead-letter topic and the rest of the batch lands.</li>
 *   <li>transient (server down, election, timeout, write concern not met): the consume loop pauses the
 *       partitions and retries the whole batch with backoff; every write is idempotent, so that is safe.</li>
 *   <li>anything else stops the app rather than skipping data.</li>
 * </ul>
 */
public final class MongoErrors implements ErrorClassifier {

    /** Stateless: the one the consume loop asks. */
    public static final MongoErrors CLASSIFIER = new MongoErrors();

    public static final int DUPLICATE_KEY = 11000;

    /** Server codes that say the document itself is unacceptable. */
    static final Set<Integer> DATA_CODES = Set.of(
            2,      // BadValue
            4,      // NoSuchKey
            9,      // FailedToParse
            14,     // TypeMismatch
            15,     // Overflow
            16,     // InvalidLength
            17,     // ProtocolError (document too large for the wire)
            52,     // DollarPrefixedFieldName
            55,     // InvalidDBRef
            56,     // EmptyFieldName
            57,     // DottedFieldName
            121,    // DocumentValidationFailure
            10334,  // BSONObjectTooLarge
            17280,  // KeyTooLong
            17419,  // document too large after update
            17420); // document too large after update (older servers)

    /** Server codes that say the server or the replica set is not available right now. */
    static final Set<Integer> TRANSIENT_CODES = Set.of(
            6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 50, 112, 117, 133, 134, 64, 46);

    public enum WriteErrorKind { CONFLICT, DATA, OTHER }

    private MongoErrors() {}

    public static WriteErrorKind classify(int code) {
        if (code == DUPLICATE_KEY) {
            return WriteErrorKind.CONFLICT;
        }
        return DATA_CODES.contains(code) ? WriteErrorKind.DATA : WriteErrorKind.OTHER;
    }

    @Override
    public boolean isTransientCause(Throwable cause) {
        if (cause instanceof ConcurrentWriteException || cause instanceof MongoSocketException
                || cause instanceof MongoTimeoutException || cause instanceof MongoExecutionTimeoutException
                || cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException
                || cause instanceof MongoWriteConcernException || cause instanceof MongoServerUnavailableException
                || cause instanceof MongoConnectionPoolClearedException) {
            return true;
        }
        if (cause instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteConcernError() != null
                    || bulk.getWriteErrors().stream().allMatch(e -> TRANSIENT_CODES.contains(e.getCode()));
        }
        if (cause instanceof MongoException mongo) {
            return mongo.hasErrorLabel("RetryableWriteError") || mongo.hasErrorLabel("TransientTransactionError")
                    || TRANSIENT_CODES.contains(mongo.getCode());
        }
        return false;
    }
}
