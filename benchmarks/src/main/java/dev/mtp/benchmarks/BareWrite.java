package dev.mtp.benchmarks;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.documents.UserMapCodec;
import org.bson.Document;

import java.util.Date;

/**
 * The bare loop's one write per event: a replace-upsert of the interaction document by its id, with the same
 * content as mongo-writer's (no versions, no summaries). Shared by {@link BareLoop} and {@link WriterOnlyBenchmark}.
 */
final class BareWrite {
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private BareWrite() {}

    static ReplaceOneModel<Document> of(EventEnvelope event, UserMapCodec codec) {
        InteractionRecorded payload = (InteractionRecorded) event.payload();
        Document doc = new Document("_id", event.entityId())
                .append("sessionId", event.sessionId())
                .append("role", payload.role())
                .append("request", payload.request())
                .append("response", payload.response())
                .append("context", codec.encode(payload.context()))
                .append("metadata", codec.encode(payload.metadata()))
                .append("processingTimeMs", payload.processingTimeMs())
                .append("cacheStrategy", event.cacheStrategy())
                .append("recordedAt", Date.from(event.occurredAt()))
                .append("eventId", event.eventId().toString());
        return new ReplaceOneModel<>(Filters.eq("_id", event.entityId()), doc, UPSERT);
    }
}
