package dev.mtp.mongowriter.write;

import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.Filters;
import dev.mtp.documents.Fields;

import java.util.Date;
import java.util.List;

/**
 * session.deleted: removes the session's interactions and evaluations recorded up to the deletion time (the
 * session document itself becomes a tombstone in {@link SessionDocumentFold}). Bounded by the deletion time, so a
 * replayed deletion never removes what was recorded after it; without a guard, so it is simply idempotent.
 * Interaction documents not yet recorded (only evaluation data attached, no {@code recordedAt}) go too.
 */
public final class ErasureWrites {
    private ErasureWrites() {}

    public static List<PlannedWrite> plan(String sessionId, Date deletedAt) {
        DeleteManyModel<org.bson.Document> interactions = new DeleteManyModel<>(Filters.and(
                Filters.eq(Fields.SESSION_ID, sessionId),
                Filters.or(Filters.lte(Fields.RECORDED_AT, deletedAt), Filters.eq(Fields.RECORDED_AT, null))));
        DeleteManyModel<org.bson.Document> evaluations = new DeleteManyModel<>(Filters.and(
                Filters.eq(Fields.SESSION_ID, sessionId), Filters.lte(Fields.EVALUATED_AT, deletedAt)));
        return List.of(
                new PlannedWrite(PlannedWrite.Kind.ERASURE, Target.INTERACTIONS, null, interactions, List.of(),
                        PlannedWrite.ConflictResolver.ALREADY_APPLIED, PlannedWrite.Applied.NOTHING),
                new PlannedWrite(PlannedWrite.Kind.ERASURE, Target.EVALUATIONS, null, evaluations, List.of(),
                        PlannedWrite.ConflictResolver.ALREADY_APPLIED, PlannedWrite.Applied.NOTHING));
    }
}
