package dev.mtp.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mongodb.client.MongoCollection;
import dev.mtp.documents.UserMapCodec;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of each interaction as a system stored it, reduced to what the event said (ids, role, request,
 * response, context, metadata, processing time, strategy, time), hashed per interaction id. Two systems hold
 * equal documents when their maps are equal, whatever their document shapes.
 */
final class Content {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private Content() {}

    /** Documents written by mongo-writer or the bare loop (same shape: escaped user maps, BSON dates). */
    static Map<String, String> ofWriterShape(MongoCollection<Document> interactions) {
        Map<String, String> digests = new HashMap<>();
        for (Document d : interactions.find().batchSize(5_000)) {
            digests.put(d.getString("_id"), digest(d.getString("sessionId"), d.getString("role"), d.getString("request"),
                    d.getString("response"), UserMapCodec.decode(d.get("context", Document.class)),
                    UserMapCodec.decode(d.get("metadata", Document.class)), d.get("processingTimeMs"),
                    d.getString("cacheStrategy"), d.getDate("recordedAt").toInstant()));
        }
        return digests;
    }

    /** Documents written by the sink connector: the event's JSON as it was, _id {entityId}. */
    static Map<String, String> ofConnectorShape(MongoCollection<Document> interactions) {
        Map<String, String> digests = new HashMap<>();
        for (Document d : interactions.find().batchSize(5_000)) {
            Document payload = d.get("payload", Document.class);
            digests.put(d.getString("entityId"), digest(d.getString("sessionId"), payload.getString("role"),
                    payload.getString("request"), payload.getString("response"), payload.get("context", Document.class),
                    payload.get("metadata", Document.class), payload.get("processingTimeMs"), d.getString("cacheStrategy"),
                    Instant.parse(d.getString("occurredAt"))));
        }
        return digests;
    }

    private static String digest(Object... parts) {
        Map<String, Object> normalized = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            Object part = parts[i];
            normalized.put("f" + i, part instanceof Number n ? n.longValue() : part instanceof Instant t ? t.toEpochMilli()
                    : part);
        }
        try {
            byte[] json = CANONICAL.writeValueAsString(normalized).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
