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
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.runtime.kafka.TopicIncarnations;
import dev.mtp.ingest.application.sync.CacheFastPath;
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

import static dev.mtp.common.version.VersionRule.OtherIncarnations.KEEP;
import static dev.mtp.common.version.VersionRule.OtherIncarnations.SUPERSEDE;
import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path and cache-writer's event path commute (design.md invariant 3): both write through cache-store's
 * guarded scripts at the event's version (offset and topic incarnation), so whichever comes second is a duplicate or
 * stale and changes nothing. A value of another incarnation of the topic is left to cache-writer
 * (docs/decisions/0012).
 */
@RealServers
class FastPathIT {
    private static IngestUnderTest ingest;
    private static TestNamespace namespace;
    private static RedisCacheStore store;
    private static Incarnation sessions;
    private static Incarnation interactions;

    @BeforeAll
    static void start(TestNamespace ns) throws Exception {
        namespace = ns;
        ingest = IngestUnderTest.start(ns, Map.of());
        store = RedisCacheStore.open(CacheStoreSettings.defaults(URI.create(ns.redisUrl()), ns.redisKeyPrefix()),
                Clock.systemUTC());
        String sessionsTopic = ingest.topics().sessions().name();
        String interactionsTopic = ingest.topics().interactions().name();
        TopicIncarnations resolved = TopicIncarnations.resolve(ns.admin(), List.of(sessionsTopic, interactionsTopic),
                Duration.ofSeconds(30));
        sessions = resolved.of(sessionsTopic);
        interactions = resolved.of(interactionsTopic);
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
        List<WriteResult> replay = store.write(CacheWrite.interaction(event, Version.of(interactions, offset),
                SUPERSEDE)).get(10, TimeUnit.SECONDS);
        assertThat(replay).extracting(WriteResult::outcome).containsOnly(WriteOutcome.DUPLICATE);

        // an older event of the same interaction arriving late (replay of a range, a slow writer):
        EventEnvelope older = EventEnvelope.of(UUID.randomUUID(), "fp-1", "fp-int-1", "RESPONSE_ONLY", event.occurredAt(),
                "test", new InteractionRecorded("assistant", null, "old answer", Map.of(), Map.of(), null));
        List<WriteResult> stale = store.write(CacheWrite.interaction(older, Version.of(interactions, offset - 1),
                SUPERSEDE)).get(10, TimeUnit.SECONDS);
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
        SessionState state = SessionFold.apply(SessionState.empty("fp-2"), created, Version.of(sessions, offset))
                .state();
        state = SessionFold.apply(state, interactionOf("fp-2", "a"), Version.of(interactions, 0)).state();
        state = SessionFold.apply(state, interactionOf("fp-2", "b"), Version.of(interactions, 1)).state();
        assertThat(store.write(CacheWrite.session(state, false, SUPERSEDE, interactions)).get(10, TimeUnit.SECONDS).outcome())
                .isEqualTo(WriteOutcome.WRITTEN);

        // the fast path's write of the create alone ([offset, none]) comes late: it must not take the count back.
        CacheFastPath.Outcome outcome = new CacheStoreFastPath(store, sessions, interactions)
                .write(created, ack.get("partition").asInt(), offset);

        assertThat(outcome).isEqualTo(CacheFastPath.Outcome.ALREADY_NEWER);
        assertThat(store.session("fp-2").get(10, TimeUnit.SECONDS).orElseThrow()
                .get(SessionField.INTERACTION_COUNT)).isEqualTo(2L);
    }

    @Test
    void aValueOfAnotherIncarnationIsLeftForCacheWriter() throws Exception {
        var redis = namespace.redis().sync();
        String sessionKey = store.keys().session("fp-3");
        String interactionKey = store.keys().interaction("fp-3", "fp-int-3");
        String latestKey = store.keys().latestResponse("fp-3");
        // What a recreated topic's predecessor left, at higher offsets: one of another incarnation, two written
        // before incarnations were recorded.
        String oldSession = "j1:900.OOOOOOOO,-1|{\"u\":\"old-user\",\"st\":\"active\"}";
        String oldInteraction = "j1:900|{\"r\":\"old answer\"}";
        String oldLatest = "j1:900|{\"id\":\"fp-int-3\",\"r\":\"old answer\"}";
        redis.psetex(sessionKey, Duration.ofHours(1).toMillis(), oldSession);
        redis.psetex(interactionKey, Duration.ofHours(1).toMillis(), oldInteraction);
        redis.psetex(latestKey, Duration.ofHours(1).toMillis(), oldLatest);

        JsonNode created = json(ingest.send("POST", "/api/v1/sessions",
                "{\"sessionId\":\"fp-3\",\"userId\":\"new-user\",\"cacheStrategy\":\"CRITICAL_ONLY\"}"));
        JsonNode recorded = json(ingest.send("POST", "/api/v1/interactions", """
                {"interactionId":"fp-int-3","sessionId":"fp-3","role":"assistant","response":"new answer",
                 "cacheStrategy":"RESPONSE_ONLY"}"""));

        assertThat(created.get("offset").asLong()).isLessThan(900);
        assertThat(redis.get(sessionKey)).isEqualTo(oldSession);
        assertThat(redis.get(interactionKey)).isEqualTo(oldInteraction);
        assertThat(redis.get(latestKey)).isEqualTo(oldLatest);

        // The fast path's own answer for the same events: kept as another incarnation.
        EventEnvelope interaction = eventAt(ingest.topics().interactions(), recorded);
        Version version = Version.of(interactions, recorded.get("offset").asLong());
        assertThat(store.write(CacheWrite.interaction(interaction, version, KEEP)).get(10, TimeUnit.SECONDS))
                .extracting(WriteResult::outcome).containsOnly(WriteOutcome.OTHER_INCARNATION);
        // cache-writer, consuming the topic, replaces them.
        assertThat(store.write(CacheWrite.interaction(interaction, version, SUPERSEDE)).get(10, TimeUnit.SECONDS))
                .allSatisfy(r -> assertThat(r.supersededOtherIncarnation()).isTrue());
        assertThat(store.interaction("fp-3", "fp-int-3").get(10, TimeUnit.SECONDS).orElseThrow()
                .get(InteractionField.RESPONSE)).isEqualTo("new answer");
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
