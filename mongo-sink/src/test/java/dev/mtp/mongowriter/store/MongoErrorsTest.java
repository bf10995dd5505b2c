package dev.mtp.mongowriter.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.WriteConcernError;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MongoErrorsTest {
    private final MongoErrors errors = MongoErrors.CLASSIFIER;

    @Test
    void aLosingGuardIsAConflictAndARefusedDocumentIsData() {
        assertThat(MongoErrors.classify(11000)).isEqualTo(MongoErrors.WriteErrorKind.CONFLICT);
        assertThat(MongoErrors.classify(10334)).isEqualTo(MongoErrors.WriteErrorKind.DATA);
        assertThat(MongoErrors.classify(17419)).isEqualTo(MongoErrors.WriteErrorKind.DATA);
        assertThat(MongoErrors.classify(91)).isEqualTo(MongoErrors.WriteErrorKind.OTHER);
    }

    @Test
    void aServerThatIsDownOrSlowIsTransientAlsoDeepInTheCauseChain() {
        assertThat(errors.isTransient(new MongoTimeoutException("no server"))).isTrue();
        assertThat(errors.isTransient(new RuntimeException(new MongoSocketReadException("eof",
                new ServerAddress())))).isTrue();
        assertThat(errors.isTransient(new ConcurrentWriteException("guards keep losing"))).isTrue();
        assertThat(errors.isTransient(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aBulkWriteFailsTransientlyOnlyWhenEveryErrorIsTransientOrTheWriteConcernFailed() {
        assertThat(errors.isTransient(bulk(List.of(error(0, 91), error(1, 189)), null))).isTrue();
        assertThat(errors.isTransient(bulk(List.of(error(0, 91), error(1, 8000)), null))).isFalse();
        assertThat(errors.isTransient(bulk(List.of(), new WriteConcernError(64, "WriteConcernFailed", "timeout",
                new BsonDocument())))).isTrue();
    }

    private static BulkWriteError error(int index, int code) {
        return new BulkWriteError(code, "code " + code, new BsonDocument(), index);
    }

    private static MongoBulkWriteException bulk(List<BulkWriteError> writeErrors, WriteConcernError concern) {
        return new MongoBulkWriteException(BulkWriteResult.unacknowledged(), writeErrors, concern, new ServerAddress(),
                Set.of());
    }

}
