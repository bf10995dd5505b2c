package dev.mtp.mongowriter.store;

import com.mongodb.MongoClientSettings;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.documents.UserMapCodec;
import dev.mtp.runtime.consume.SourcedEvent;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, before anything is sent, an event whose document would exceed MongoDB's document size limit: the
 * driver would otherwise fail the whole bulk write client-side. A cheap upper-bound estimate clears nearly every
 * event; only an event near the limit is encoded to BSON to measure it exactly.
 */
final class SizeScreen {
    /** Room for the fields the writer adds around the user's content (ids, timestamps, versions). */
    private static final int ENVELOPE_ALLOWANCE = 4_096;
    private static final Codec<Document> CODEC = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);

    private final UserMapCodec codec;
    private final int maxBytes;

    SizeScreen(UserMapCodec codec, int maxBytes) {
        this.codec = codec;
        this.maxBytes = maxBytes;
    }

    Optional<DocumentRejectedException> check(SourcedEvent sourced) {
        EventPayload payload = sourced.event().payload();
        if (estimate(payload) + ENVELOPE_ALLOWANCE <= maxBytes) {
            return Optional.empty();
        }
        int size = new RawBsonDocument(content(payload), CODEC).getByteBuffer().remaining() + ENVELOPE_ALLOWANCE;
        if (size <= maxBytes) {
            return Optional.empty();
        }
        return Optional.of(new DocumentRejectedException(sourced.event().type().wireName() + " " + sourced.event().entityId()
                + " would make a document of about " + size + " bytes; mongo-writer stores at most " + maxBytes
                + " (app.mongo-writer.max-document-bytes; MongoDB allows 16777216)", 10334));
    }

    private Document content(EventPayload payload) {
        return switch (payload) {
            case InteractionRecorded i -> new Document("request", i.request()).append("response", i.response())
                    .append("context", codec.encode(i.context())).append("metadata", codec.encode(i.metadata()));
            case SessionCreated c -> new Document("context", codec.encode(c.context()))
                    .append("metadata", codec.encode(c.metadata()));
            case SessionUpdated u -> new Document("context", codec.encode(u.context()))
                    .append("metadata", codec.encode(u.metadata()));
            case EvaluationRecorded e -> new Document("evaluationData", codec.encode(e.evaluationData()));
            default -> new Document();
        };
    }

    /** An upper bound of the BSON size of the user content: 3 bytes per char covers any UTF-8. */
    private static long estimate(EventPayload payload) {
        return switch (payload) {
            case InteractionRecorded i -> chars(i.request()) + chars(i.response()) + estimate(i.context())
                    + estimate(i.metadata());
            case SessionCreated c -> estimate(c.context()) + estimate(c.metadata());
            case SessionUpdated u -> estimate(u.context()) + estimate(u.metadata());
            case EvaluationRecorded e -> estimate(e.evaluationData());
            default -> 0;
        };
    }

    private static long estimate(Object value) {
        if (value == null) {
            return 16;
        }
        if (value instanceof String s) {
            return chars(s);
        }
        if (value instanceof Map<?, ?> map) {
            long total = 16;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                total += chars(String.valueOf(e.getKey())) + estimate(e.getValue());
            }
            return total;
        }
        if (value instanceof Collection<?> list) {
            long total = 16;
            for (Object item : list) {
                total += 24 + estimate(item);
            }
            return total;
        }
        return 32;
    }

    private static long chars(String s) {
        return s == null ? 0 : 16L + 3L * s.length();
    }
}
