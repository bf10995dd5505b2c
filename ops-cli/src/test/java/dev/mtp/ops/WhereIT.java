package dev.mtp.ops;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.runtime.kafka.TopicIncarnations;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.SetArgs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code where --session} against a real broker, Redis and MongoDB server: each of the session's events is marked
 * against what each store holds of its topic, one store ahead of an event (a replay of it would be stale), one
 * holding exactly it, one behind, one holding the topic from another incarnation.
 */
@RealServers
class WhereIT {

    private static final String SESSION = "s-where";

    @Test
    void marksEachEventAgainstWhatEachStoreHoldsOfItsTopic(TestNamespace ns) throws Exception {
        try (Cli cli = new Cli(ns, Map.of("redis.url", ns.redisUrl(), "mongodb.uri", ns.mongoUri(),
                "mongodb.database", ns.mongoDatabaseName(), "app.cache.key-prefix", ns.redisKeyPrefix()))) {
            cli.createTopics();
            // offsets on the session's partition of each topic: sessions 0 and 1, interactions 0, evaluations 0
            publish(cli, cli.topics.sessions(), "WITH_CONTEXT", new SessionCreated("user-1", "active", Map.of(), Map.of()));
            publish(cli, cli.topics.sessions(), null, new SessionUpdated(null, "paused", null, null));
            publish(cli, cli.topics.interactions(), "RESPONSE_ONLY", new InteractionRecorded("assistant", "q?", "a.", Map.of(),
                    Map.of(), 5L));
            publish(cli, cli.topics.evaluations(), null, new EvaluationRecorded(EntityType.SESSION,
                    Map.of("satisfaction_score", 4.5)));
            TopicIncarnations now = TopicIncarnations.resolve(ns.admin(), cli.topics.allNames(), Duration.ofSeconds(30));
            String sessions = now.of(cli.topics.sessions().name()).tag();
            String evaluations = now.of(cli.topics.evaluations().name()).tag();

            // Redis: the session key as of the created event, its interactions from an earlier life of the topic
            ns.redis().sync().set(new CacheKeys(ns.redisKeyPrefix()).session(SESSION),
                    "j2:0." + sessions + ",3.Earlier0|{\"u\":\"user-1\",\"st\":\"active\"}",
                    SetArgs.Builder.px(Duration.ofMinutes(5).toMillis()));
            // MongoDB: the session document with the update and the evaluation applied, no interaction yet
            ns.mongoDatabase().getCollection("sessions").insertOne(new Document("_id", SESSION)
                    .append("userId", "user-1").append("status", "paused")
                    .append("versions", new Document("sessions", 1L).append("sessionsIncarnation", sessions)
                            .append("interactions", -1L)
                            .append("evaluations", 0L).append("evaluationsIncarnation", evaluations)));

            Cli.Run where = cli.run("where", "--session", SESSION);

            assertThat(where.exitCode()).as(where.err()).isZero();
            assertThat(where.out())
                    .contains("marks: what each store's writer would decide if the event came again now")
                    .containsPattern("offset 0  session\\.created .*  redis duplicate, mongodb stale\\n")
                    .containsPattern("offset 1  session\\.updated .*  redis apply, mongodb duplicate\\n")
                    .containsPattern("offset 0  interaction\\.recorded .*  redis other-incarnation, mongodb apply\\n")
                    .containsPattern("offset 0  evaluation\\.recorded .*  mongodb duplicate\\n")
                    .containsPattern("\\{" + SESSION + "\\}:s\\s+WITH_CONTEXT, versions 0\\." + sessions + ",3\\.Earlier0"
                            + " \\[another incarnation than the topic's now: interactions\\]");

            long begin = System.nanoTime();
            Cli.Run unknown = cli.run("where", "--session", "s-nobody", "--wait-ms", "30000");
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("nothing to wait for: no event, key or document")
                    .isLessThan(Duration.ofSeconds(15));
            assertThat(unknown.exitCode()).isZero();
            assertThat(unknown.out()).doesNotContain("marks:").contains("absent").containsPattern("sessions\\s+\\(none\\)");
        }
    }

    private static void publish(Cli cli, TopicDescriptor<String, EventEnvelope> topic, String strategy,
                                EventPayload payload)
            throws Exception {
        String entity = payload instanceof InteractionRecorded ? "int-1" : SESSION;
        EventEnvelope event = EventEnvelope.of(UUID.randomUUID(), SESSION, entity, strategy, Instant.now(), "test",
                payload);
        try (KafkaProducer<byte[], byte[]> producer = cli.producer()) {
            producer.send(new ProducerRecord<>(topic.name(), SESSION.getBytes(StandardCharsets.UTF_8),
                    topic.valueSerde().serializer().serialize(topic.name(), event))).get();
        }
    }
}
