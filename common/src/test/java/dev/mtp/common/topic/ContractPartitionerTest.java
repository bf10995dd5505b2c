package dev.mtp.common.topic;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractPartitionerTest {

    /** Computed with kafkajs 2.2.4's DefaultPartitioner: what a non-Java producer that matches the contract does. */
    @ParameterizedTest
    @CsvSource({
            "session-123, 0, 3, 9",
            "s-1, 1, 1, 7",
            "s-3, 1, 4, 10",
            "session-7, 0, 0, 6",
            "sessão-ü-42, 2, 2, 8",
            "3673a1a2-5b7e-4c1e-9f55-0e8d2b1c9a77, 2, 2, 8",
            "a, 1, 4, 4"})
    void mapsKeysAsKafkajsDefaultPartitionerDoes(String key, int of3, int of6, int of12) {
        assertThat(ContractPartitioner.partitionOf(key, 3)).isEqualTo(of3);
        assertThat(ContractPartitioner.partitionOf(key, 6)).isEqualTo(of6);
        assertThat(ContractPartitioner.partitionOf(key, 12)).isEqualTo(of12);
    }

    @Test
    void mapsKeysAsTheJavaProducerDoes() {
        for (int i = 0; i < 10_000; i++) {
            String key = UUID.randomUUID() + "-" + i;
            int count = 1 + i % 64;
            assertThat(ContractPartitioner.partitionOf(key, count)).as(key).isEqualTo(
                    BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), count));
        }
    }

    @Test
    void aRecordWhereItsKeyMapsToPasses() {
        ContractPartitioner.check("mtp.sessions.v1", 3, 7, "session-123", 6);
    }

    @Test
    void aRecordElsewhereIsRefusedNamingTheExpectedAndTheActualPartition() {
        assertThatThrownBy(() -> ContractPartitioner.check("mtp.sessions.v1", 5, 7, "session-123", 6))
                .isInstanceOfSatisfying(WrongPartitionException.class, e -> {
                    assertThat(e.expectedPartition()).isEqualTo(3);
                    assertThat(e.actualPartition()).isEqualTo(5);
                })
                .hasMessage("partition: the record's key maps to partition 3 of mtp.sessions.v1 (6 partitions, murmur2"
                        + " of the key as the Java client's default partitioner), but it is on partition 5 at offset 7;"
                        + " publish with a murmur2 partitioner (docs/producers.md)");
    }

    @Test
    void aMissingKeyOrPartitionCountIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ContractPartitioner.partitionOf(null, 6)).hasMessageStartingWith("key: ");
        assertThatThrownBy(() -> ContractPartitioner.partitionOf("s-1", 0))
                .hasMessage("partitionCount: must be at least 1, was 0");
    }
}
