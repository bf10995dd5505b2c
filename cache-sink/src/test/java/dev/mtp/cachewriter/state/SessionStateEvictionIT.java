package dev.mtp.cachewriter.state;

import dev.mtp.cachewriter.TestIncarnations;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle session states leave memory and the state topic (docs/decisions/0008), against a real broker, with the
 * retention period passed by a clock the test moves: a state unchanged for two agings is tombstoned and not restored
 * by the next owner; a state changed in between stays; a partition this store no longer owns is never tombstoned.
 */
@RealServers
class SessionStateEvictionIT {

    private static final Duration RETENTION = Duration.ofHours(2);
    private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    void statesUnchangedForTheRetentionLeaveTheTopicAndOnlyOwnedPartitionsAreTouched(TestNamespace ns) throws Exception {
        String topic = ns.createTopic("session-state", 2);
        MovableClock clock = new MovableClock(START);
        try (SessionStateStore store = store(ns, topic, clock)) {
            store.take(List.of(0, 1));
            persist(store, Map.of("a", 0, "c", 0, "b", 1));
            assertThat(store.evictIdle()).as("before a retention period").isZero();

            clock.advance(RETENTION);
            assertThat(store.evictIdle()).as("the first aging only makes them old").isZero();
            assertThat(store.sessionCount()).isEqualTo(3);

            persist(store, Map.of("a", 0));
            store.release(List.of(1));
            clock.advance(RETENTION);
            assertThat(store.evictIdle()).as("c: unchanged for two agings, in an owned partition").isEqualTo(1);
            assertThat(store.get(0, "c")).isNull();
            assertThat(store.get(0, "a")).isNotNull();
        }
        try (SessionStateStore next = store(ns, topic, clock)) {
            next.take(List.of(0, 1));
            assertThat(next.get(0, "a")).as("changed within the period").isNotNull();
            assertThat(next.get(1, "b")).as("its partition had gone: not tombstoned").isNotNull();
            assertThat(next.get(0, "c")).as("evicted: tombstoned in the state topic").isNull();
            assertThat(next.sessionCount()).isEqualTo(2);
        }
    }

    private static void persist(SessionStateStore store, Map<String, Integer> partitionOf) throws Exception {
        Map<String, SessionState> changed = new java.util.HashMap<>();
        partitionOf.keySet().forEach(id -> changed.put(id,
                SessionFold.apply(SessionState.empty(id), Events.created(id, "WITH_CONTEXT", START),
                        TestIncarnations.sv(1)).state()));
        store.persist(changed, partitionOf);
        store.apply(changed, partitionOf);
    }

    private static SessionStateStore store(TestNamespace ns, String topic, Clock clock) {
        KafkaConsumer<String, byte[]> restore = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        return new SessionStateStore(topic, restore, producer, Duration.ofSeconds(30), RETENTION, clock);
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
