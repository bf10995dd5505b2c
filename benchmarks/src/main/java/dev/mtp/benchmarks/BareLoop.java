package dev.mtp.benchmarks;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.json.EventCodec;
import dev.mtp.mongowriter.document.UserMapCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * (a) The floor: poll, decode, one unordered bulk of replace-upserts of the interaction documents per poll (same
 * content as mongo-writer's), commit. No version guards, no session summaries, no dead letters, no retries.
 */
public final class BareLoop {
    private BareLoop() {}

    /** Run as its own JVM: {@code BareLoop <bootstrap> <topic> <group> <mongodb-uri> <database> <records> <max-poll>}. */
    public static void main(String[] args) {
        try (com.mongodb.client.MongoClient mongo = com.mongodb.client.MongoClients.create(args[3])) {
            run(args[0], args[1], args[2], mongo.getDatabase(args[4]).getCollection("interactions"),
                    Long.parseLong(args[5]), Integer.parseInt(args[6]));
        }
    }

    static void run(String bootstrap, String topic, String group, MongoCollection<Document> interactions, long records,
                    int maxPollRecords) {
        UserMapCodec codec = new UserMapCodec(32);
        MongoCollection<Document> target = interactions.withWriteConcern(WriteConcern.MAJORITY.withJournal(true));
        BulkWriteOptions unordered = new BulkWriteOptions().ordered(false);
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long done = 0;
            while (done < records) {
                ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(500));
                if (polled.isEmpty()) {
                    continue;
                }
                List<WriteModel<Document>> models = new ArrayList<>(polled.count());
                for (ConsumerRecord<String, byte[]> record : polled) {
                    EventEnvelope event = EventCodec.decode(record.value());
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
                    models.add(new ReplaceOneModel<>(Filters.eq("_id", event.entityId()), doc, upsert));
                }
                target.bulkWrite(models, unordered);
                consumer.commitSync();
                done += polled.count();
            }
        }
    }
}
