package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.ingest.store.CacheStoreFastPath;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path and cache-writer's event path commute (design.md invariant 3): both write through cache-store's
 * guarded scripts at the event's offset, so whichever comes second is a duplicate or stale and changes nothing.
 */
@RealServers
class FastPathIT {
    private static IngestUnderTest ingest;
    private static TestNamespace namespace;
    private static RedisCacheStore store;

    @BeforeAll
    static void start(TestNamespace ns) {
        namespace = ns;
        ingest = IngestUnderTest.start(ns, Map.of());
        store = RedisCacheStore.open(CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix()),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void theEventPathAfterTheFastPathIsADuplicateAndAnOlderEventIsStale() throws Exception {
        JsonNode ack = json(ingest.send("POST", "/api/v1/interactions", """
                {"interactionId":"fp-int-1","sessionId":"fp-1","role":"assistant","response":"new answer",
                 "cacheStrategy":"RESPONSE_ONLY"}"""));
        assertThat(ack.get("syncMethod").asText()).isEqualTo("hybrid-direct");
        long offset = ack.get("offset").asLong();
        EventEnvelope event = eventAt(ingest.topics().interactions(), ack);

        // cache-writer applying the same event later, with the same code:
        List<WriteResult> replay = store.write(CacheWrite.interaction(event, offset)).get(10, TimeUnit.SECONDS);
        assertThat(replay).extracting(WriteResult::outcome).containsOnly(WriteOutcome.DUPLICATE);

        // an older event of the same interaction arriving late (replay of a range, a slow writer):
        EventEnvelope older = EventEnvelope.of(UUID.randomUUID(), "fp-1", "fp-int-1", "RESPONSE_ONLY", event.occurredAt(),
                "test", new InteractionRecorded("assistant", null, "old answer", Map.of(), Map.of(), null));
        List<WriteResult> stale = store.write(CacheWrite.interaction(older, offset - 1)).get(10, TimeUnit.SECONDS);
        assertThat(stale).extracting(WriteResult::outcome).containsOnly(WriteOutcome.STALE);

        assertThat(store.interaction("fp-1", "fp-int-1").get(10, TimeUnit.SECONDS).orElseThrow()
                .get(InteractionField.RESPONSE)).isEqualTo("new answer");
    }

    @Test
    void aFastPathWriteAfterTheEventPathChangesNothing() throws Exception {
        JsonNode ack = json(ingest.send("POST", "/api/v1/sessions",
                "{\"sessionId\":\"fp-2\",\"userId\":\"u-1\",\"cacheStrategy\":\"WITH_CONTEXT\"}"));
        long offset = ack.get("offset").asLong();
        EventEnvelope created = eventAt(ingest.topics().sessions(), ack);

        // cache-writer's fold of the create and two interactions: newer interactions version, count 2.
        SessionState state = SessionFold.apply(SessionState.empty("fp-2"), created, offset).state();
        state = SessionFold.apply(state, interactionOf("fp-2", "a"), 0).state();
        state = SessionFold.apply(state, interactionOf("fp-2", "b"), 1).state();
        assertThat(store.write(CacheWrite.session(state, false)).get(10, TimeUnit.SECONDS).outcome())
                .isEqualTo(WriteOutcome.WRITTEN);

        // the fast path's write of the create alone ([offset, none]) comes late: it must not take the count back.
        boolean applied = new CacheStoreFastPath(store).write(created, ack.get("partition").asInt(), offset);

        assertThat(applied).isFalse();
        assertThat(store.session("fp-2").get(10, TimeUnit.SECONDS).orElseThrow()
                .get(dev.mtp.common.strategy.SessionField.INTERACTION_COUNT)).isEqualTo(2L);
    }

    private static EventEnvelope interactionOf(String sessionId, String interactionId) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, interactionId, "RESPONSE_ONLY", java.time.Instant.now(),
                "test", new InteractionRecorded("user", "hi", null, Map.of(), Map.of(), null));
    }

    private static EventEnvelope eventAt(TopicDescriptor<String, EventEnvelope> topic, JsonNode coordinates) {
        TopicPartition partition = new TopicPartition(topic.name(), coordinates.get("partition").asInt());
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, namespace.kafkaBootstrapServers()),
                new StringDeserializer(), topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, coordinates.get("offset").asLong());
            var records = consumer.poll(Duration.ofSeconds(10)).records(partition);
            assertThat(records).isNotEmpty();
            return records.get(0).value();
        }
    }
}
