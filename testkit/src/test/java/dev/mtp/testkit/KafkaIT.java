package dev.mtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@RealServers
class KafkaIT {

    @Test
    void idempotentProduceToAFreshTopicIsConsumedInFull(TestNamespace ns) throws Exception {
        String topic = ns.createTopic("events", 3);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "session-" + i % 7, "event-" + i)));
            }
            // Every send is checked: KAFKA-15591 loses a batch silently unless its result is looked at.
            for (Future<RecordMetadata> send : sends) {
                assertThat(send.get(10, TimeUnit.SECONDS).topic()).isEqualTo(topic);
            }
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, ns.group("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= 30;
            });
        }
        assertThat(received).hasSize(30);
        assertThat(received).extracting(ConsumerRecord::value).doesNotHaveDuplicates();
    }

    @Test
    void topicsOfTheNamespaceCarryItsPrefix(TestNamespace ns) throws Exception {
        String topic = ns.createTopic("sessions", 2);

        assertThat(topic).isEqualTo(ns.topicPrefix() + "sessions").startsWith(ns.id() + ".");
        assertThat(ns.admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions()).hasSize(2);
    }
}
