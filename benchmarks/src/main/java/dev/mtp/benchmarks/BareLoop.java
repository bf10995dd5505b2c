package dev.mtp.benchmarks;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import dev.mtp.common.json.EventCodec;
import dev.mtp.documents.UserMapCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;

import java.time.Duration;
import java.util.ArrayList;
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
        Map<String, Object> props = BenchKafka.client(bootstrap);
        props.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long done = 0;
            long pollNs = 0, buildNs = 0, writeNs = 0, commitNs = 0, batches = 0;
            while (done < records) {
                long t0 = System.nanoTime();
                ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(500));
                pollNs += System.nanoTime() - t0;
                if (polled.isEmpty()) {
                    continue;
                }
                long t1 = System.nanoTime();
                List<WriteModel<Document>> models = new ArrayList<>(polled.count());
                for (ConsumerRecord<String, byte[]> record : polled) {
                    models.add(BareWrite.of(EventCodec.decode(record.value()), codec));
                }
                long t2 = System.nanoTime();
                target.bulkWrite(models, unordered);
                long t3 = System.nanoTime();
                consumer.commitSync();
                long t4 = System.nanoTime();
                buildNs += t2 - t1;
                writeNs += t3 - t2;
                commitNs += t4 - t3;
                batches++;
                done += polled.count();
            }
            System.out.printf("bare loop: %d batches; poll %.1f s, decode+build %.1f s, bulk write %.1f s, commit %.1f s%n",
                    batches, pollNs / 1e9, buildNs / 1e9, writeNs / 1e9, commitNs / 1e9);
        }
    }
}
